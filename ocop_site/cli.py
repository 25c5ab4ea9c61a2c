"""Command line: build | serve | check. A contract other tools call; exit codes are stable:
0 success, 1 content errors, 2 usage errors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .errors import ContentError, ContentErrors

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; add Vietnamese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n"
                              f"{self.prog}: lỗi: tham số không hợp lệ ({message})\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ocop-site",
                     description="Build a static OCOP product catalogue site / "
                                 "Tạo trang danh mục sản phẩm OCOP")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def source_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=Path("."),
                       help="site folder holding site.yaml and content/ (default: .)")

    build = sub.add_parser("build", help="build the site / tạo trang")
    source_arg(build)
    build.add_argument("--output", type=Path, default=Path("public"),
                       help="output folder (default: public/)")
    build.add_argument("--base-url", help="absolute URL the site is served from, e.g. "
                                          "https://example.org/ocop/")

    check = sub.add_parser("check", help="validate content, write nothing / kiểm tra")
    source_arg(check)

    serve = sub.add_parser("serve", help="build and serve with live reload / xem trước")
    source_arg(serve)
    serve.add_argument("--output", type=Path, default=Path("public"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def report(errors: Sequence[ContentError], stream=sys.stderr) -> None:
    for error in errors:
        print(error.format(), file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    from . import builder  # deferred: `--help` stays instant

    if args.command in ("build", "check") and not (args.source / "site.yaml").is_file():
        print(f"ocop-site: error: no site.yaml in '{args.source}' (use --source SITE_FOLDER)\n"
              f"ocop-site: lỗi: không có site.yaml trong '{args.source}' "
              "(dùng --source THƯ_MỤC_TRANG)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "check":
            warnings = builder.check(args.source)
            report(warnings)
            print("OK: no errors found / không có lỗi")
            return EXIT_OK
        if args.command == "build":
            result = builder.build(args.source, args.output, base_url=args.base_url)
            report(result.warnings)
            print(f"Built {result.pages} pages, {result.files} files "
                  f"({result.changed} changed) into {args.output} in {result.seconds:.2f} s / "
                  f"Đã tạo {result.pages} trang vào {args.output}")
            return EXIT_OK
        from .serve import serve
        return serve(args.source, args.output, args.host, args.port)
    except ContentErrors as exc:
        report(exc.errors)
        count = len(exc.errors)
        print(f"{count} error(s); nothing was written / {count} lỗi; chưa ghi gì",
              file=sys.stderr)
        return EXIT_CONTENT
