"""Command line: build | serve | check | new | init | import. A contract other tools call;
exit codes are stable (errors.py): 0 success, 1 content errors, 2 usage or environment
errors, 130 Ctrl+C. Every failure a person can cause ends as its bilingual lines, never a
traceback."""
from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import Callable, NoReturn, Sequence

from .errors import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    ContentError,
    ContentErrors,
    FileSystemError,
    Interrupted,
    SiteError,
    UsageError,
)
from .report import FORMATS, github_annotation, github_file


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; add Vietnamese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n"
                              f"{self.prog}: lỗi: tham số không hợp lệ ({message})\n")


def make_parser(questions: bool = True) -> argparse.ArgumentParser:
    """The command line. `questions=False` leaves out `new`'s options for each field
    (they come from scaffold/, which loads the content modules): any other command
    then starts without importing them."""
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
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text (default): 'path:line: field: message' lines; github: "
                            "GitHub Actions annotations, shown on the pull request's lines")

    serve = sub.add_parser("serve", help="build and serve with live reload / xem trước")
    source_arg(serve)
    serve.add_argument("--output", type=Path, default=Path("public"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    init = sub.add_parser("init", help="write a new site folder from the official lists of "
                                       "communes / tạo trang mới từ danh mục xã chính thức")
    init.add_argument("folder", type=Path, help="new site folder (must not hold anything)")
    init.add_argument("--province", required=True,
                      help='current province, e.g. "Phú Thọ" / tỉnh hiện nay')
    init.add_argument("--communes", help='current communes, comma-separated, e.g. "Sông Lô, '
                                         'Hải Lựu" (default: the whole province) / các xã')
    init.add_argument("--title", help="site title (default: Sản phẩm OCOP tỉnh …)")

    _new_parser(sub, source_arg, questions)
    imported = sub.add_parser("import", help="products from a province's .xlsx/.csv list "
                                             "/ nhập danh sách sản phẩm từ bảng tính",
                              description="Prints what each row would do; with --write, "
                              "writes the files and checks the site. / In kế hoạch cho từng "
                              "dòng; với --write thì ghi tệp và kiểm tra.")
    source_arg(imported)
    from .importer.options import add_arguments
    add_arguments(imported)
    return parser


def report(errors: Sequence[ContentError], stream=sys.stderr) -> None:
    for error in errors:
        print(error.format(), file=stream)


def annotate(errors: Sequence[ContentError], source: Path) -> None:
    """GitHub Actions reads workflow commands from standard output."""
    cwd = Path.cwd()
    for error in errors:
        print(github_annotation(error, github_file(source, error.path, cwd)), flush=True)


def _new_parser(sub, source_arg: Callable[[argparse.ArgumentParser], None],
                questions: bool) -> None:
    """`new product|producer|event|shop`, with an option per question (scaffold/questions.py)."""
    new = sub.add_parser("new", help="write a new product, producer, event or shop file, "
                                     "asking for each field / tạo tệp sản phẩm, cơ sở, sự "
                                     "kiện, cửa hàng mới")
    kinds = new.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    if questions:
        from .scaffold.known import KINDS  # the site is only read when run
        from .scaffold.questions import QUESTIONS
    else:
        KINDS, QUESTIONS = ("product", "producer", "event", "shop"), {}
    for kind in KINDS:
        one = kinds.add_parser(kind, help=f"content/{kind}s/<slug>.md",
                               description="Asks for each field on a terminal (options given "
                               "are not asked); with --yes or when input is not a terminal, "
                               "takes only the options. Never overwrites a file. / Hỏi từng "
                               "trường; với --yes hoặc khi không chạy trong cửa sổ lệnh thì "
                               "chỉ dùng các tùy chọn. Không bao giờ ghi đè tệp có sẵn.")
        source_arg(one)
        one.add_argument("--yes", "-y", action="store_true",
                         help="ask nothing; write the file from the options / không hỏi gì")
        for question in QUESTIONS.get(kind, ()):
            required = " (required / bắt buộc)" if question.required else ""
            one.add_argument(f"--{question.option}", dest=f"answer:{question.key}",
                             metavar=question.option.upper().replace("-", "_"),
                             help=f"{question.en} / {question.vi}{required}"
                                  + (f" — {question.hint}" if question.hint else ""))


def build_progress():
    """A bar on a terminal, plain periodic lines in CI logs; on standard error, so
    standard output stays the build's summary."""
    from .pipeline.progress import Progress
    return Progress(sys.stderr, tty=sys.stderr.isatty())


def new(args: argparse.Namespace) -> int:
    """`new KIND`: answers from the options, then (on a terminal, without --yes) from the
    person; the file is created, never overwritten, and checked again once written."""
    from .scaffold.filetext import errors_in, render_file, target_path
    from .scaffold.interview import Cancelled, check_answers, confirm, interview, next_steps
    from .scaffold.known import load_known

    kind = args.kind
    given = {key.split(":", 1)[1]: value for key, value in vars(args).items()
             if key.startswith("answer:") and value is not None}
    known, site_errors = load_known(args.source)
    if site_errors:
        print(f"note: the site already has {site_errors} error(s) elsewhere; "
              "run `check` / lưu ý: trang đang có lỗi ở tệp khác; hãy chạy `check`",
              file=sys.stderr)
    interactive = not args.yes and sys.stdin.isatty()
    if interactive:
        print(f"Tệp mới / New {kind} — Ctrl+D: hủy / cancel; ?: danh sách / list")
        answers = interview(kind, given, known, input, print)
    else:
        answers, problems = check_answers(kind, given, known)
        if problems:
            for problem in problems:
                print(f"ocop-site new {kind}: {problem.format()}", file=sys.stderr)
            print("nothing was written / chưa ghi gì", file=sys.stderr)
            return EXIT_USAGE
    target = target_path(kind, answers)  # as shown: relative to the site
    file_text = render_file(kind, answers)
    if interactive:
        print(f"\n{target}:\n{file_text}")
        try:
            if not confirm(input("Ghi tệp này? / Write this file? [C/k, Y/n]: ")):
                raise Cancelled()
        except (EOFError, KeyboardInterrupt):
            raise Cancelled() from None
    path = args.source / target
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(file_text)
    except FileExistsError:
        raise UsageError(f"{target} already exists; it is never overwritten",
                         f"{target} đã có; tệp có sẵn không bao giờ bị ghi đè") from None
    problems_after = errors_in(kind, target, path.read_text(encoding="utf-8"))
    if problems_after:
        report(problems_after)
        return EXIT_CONTENT
    check_command = "python build.py check" + ("" if args.source == Path(".")
                                               else f" --source {args.source}")
    for line in next_steps(kind, answers, check_command):
        print(line)
    return EXIT_OK


def init(args: argparse.Namespace) -> int:
    """`init DIR --province …`: site.yaml, communes.yaml from the official lists, the
    classification and empty content folders; `check` passes on it at once."""
    from .regions import gazetteer
    from .regions import init as initsite

    province = gazetteer.find_province(args.province)
    try:
        if province is None:
            known = ", ".join(p.name for p in gazetteer.provinces())
            raise initsite.InitError(f"unknown province '{args.province}' (one of: {known}) / "
                                     f"không có tỉnh '{args.province}'")
        names = [n.strip() for n in args.communes.split(",") if n.strip()] \
            if args.communes else None
        communes = initsite.chosen_communes(province, names)
        initsite.write_site(args.folder, initsite.site_files(province, communes, args.title))
    except initsite.InitError as exc:
        print(f"ocop-site init: error: {exc}\nnothing was written / chưa ghi gì",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {args.folder}: {len(communes)} communes of {province.kind} {province.name} / "
          f"Đã tạo {args.folder}: {len(communes)} xã, phường. Next / tiếp theo: "
          f"python build.py check --source {args.folder}")
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    from .pipeline import builder

    try:
        warnings = builder.check(args.source)
    except ContentErrors as exc:
        if args.format != "github":
            raise
        annotate(exc.errors, args.source)
        count = len(exc.errors)
        print(f"{count} error(s) / {count} lỗi", file=sys.stderr)
        return EXIT_CONTENT
    if args.format == "github":
        annotate(warnings, args.source)
    else:
        report(warnings)
    print("OK: no errors found / không có lỗi")
    return EXIT_OK


def build(args: argparse.Namespace) -> int:
    last = _current_build(args)
    if last is not None:  # nothing to do: said before Jinja, Pillow… are even imported
        report(last.warnings)
        files = len(last.manifest)
        print(f"Built {last.pages} pages, {files} files (0 changed) into {args.output} "
              f"/ Đã tạo {last.pages} trang vào {args.output}")
        return EXIT_OK
    from .pipeline import builder

    progress = build_progress()
    try:
        result = builder.build(args.source, args.output, base_url=args.base_url,
                               progress=progress)
    finally:
        progress.close()
    report(result.warnings)
    print(f"Built {result.pages} pages, {result.files} files "
          f"({result.changed} changed) into {args.output} in {result.seconds:.2f} s / "
          f"Đã tạo {result.pages} trang vào {args.output}")
    return EXIT_OK


def _current_build(args: argparse.Namespace):
    """The last build's state when it is still what a build would make (pipeline/buildstate.py),
    else None; the builder checks again, under its lock, before building."""
    from .base.version import build_date
    from .output.folder import build_lock
    from .pipeline import buildstate

    options = buildstate.build_options(args.base_url, build_date())
    stamp = buildstate.input_stamp(args.source, options)
    with build_lock(args.output):
        return buildstate.unchanged(args.output, stamp)


def run(args: argparse.Namespace) -> int:
    """The command `args` names; raises SiteError (or OSError) when it cannot be done."""
    if args.command == "init":
        return init(args)
    if not (args.source / "site.yaml").is_file():
        raise UsageError(f"no site.yaml in '{args.source}' (use --source SITE_FOLDER)",
                         f"không có site.yaml trong '{args.source}' "
                         "(dùng --source THƯ_MỤC_TRANG)")
    if args.command == "check":
        return check(args)
    if args.command == "new":
        return new(args)
    if args.command == "import":
        from .importer.command import run as import_list
        from .pipeline import builder
        return import_list(args, builder.check)
    from .output.folder import check_output_folder  # before the build, not at its end
    check_output_folder(args.output)
    if args.command == "build":
        return build(args)
    from .serve import serve
    return serve(args.source, args.output, args.host, args.port)


def os_failure(exc: OSError, args: argparse.Namespace) -> SiteError:
    """An OSError that reached the command line: the file system or the network said no
    (a folder that cannot be written, a full disk, a port in use), not a program error."""
    if exc.errno == errno.EADDRINUSE and args.command == "serve":
        return UsageError(f"port {args.port} on {args.host} is already in use; stop the "
                          "other server or choose another --port",
                          f"cổng {args.port} trên {args.host} đang được dùng; hãy dừng máy "
                          "chủ kia hoặc chọn --port khác")
    output = getattr(args, "output", None)
    if output is not None:
        from .output.folder import shown_output_path
        shown = shown_output_path(exc.filename, output, str(output))
    else:
        shown = str(exc.filename) if exc.filename is not None else str(args.source)
    return FileSystemError.of(exc, shown)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = make_parser(questions=bool(words) and words[0] == "new").parse_args(words)
    try:
        return run(args)
    except SiteError as exc:
        failure = exc
    except KeyboardInterrupt:
        failure = Interrupted()
    except OSError as exc:
        failure = os_failure(exc, args)
    for line in failure.lines():
        print(line, file=sys.stderr)
    return failure.exit_code
