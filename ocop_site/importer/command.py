"""`ocop-site import FILE`: read, plan, print the plan; with --write, write and check.

Exit codes: 0 every row usable (or skipped), 1 some rows need attention (listed; with
--write the others are still written) or the result fails the check (then nothing is
kept), 2 usage errors: the file cannot be read, no header row, a bad option.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence, TextIO

from ..errors import ContentErrors, ErrorCollector
from ..report import escape_data, escape_property, github_file
from ..text import vietnamese
from .headers import find_header, holds_list
from .messages import INFO, ImportFailure, RowMessage
from .plan import ATTENTION_ROW, NEW, SKIPPED, UNCHANGED, UPDATE, Plan, RowPlan, Site, make_plan
from .reading import read_table
from .resolve import Producers, official_step, site_steps
from .rows import Defaults, parse_rows

EXIT_OK, EXIT_ATTENTION, EXIT_USAGE = 0, 1, 2


def _options(args: argparse.Namespace) -> Defaults:
    from .values import Unreadable, clean_text, date
    try:
        day = date(args.date) if args.date else None
    except Unreadable as exc:
        raise ImportFailure(f"--date: {exc.en}", f"--date: {exc.vi}") from None
    return Defaults(clean_text(args.decision), day, clean_text(args.issued_by))


def load_site(source: Path) -> tuple[Site, int]:
    """The site as the plan needs it, and how many errors it already has."""
    from ..content.config import load_config
    from ..content.loader import load_content

    errors = ErrorCollector()
    config = load_config(source.resolve(), errors)
    if config is None:
        raise ContentErrors(errors.errors)
    content = load_content(config, errors)
    taken: dict[str, str] = {}
    folder = config.content_dir / "products"
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            taken.setdefault(vietnamese.slugify(vietnamese.nfc(path.stem.split(".")[0])),
                             f"content/products/{path.name}")
    taken.update({p.slug: p.source for p in content.products})
    root = config.source
    site = Site(content.communes, content.categories, content.category_index,
                Producers.of(content.producers, content.producer_ids), content.products,
                config.today, taken,
                (*site_steps(content.communes, content.commune_index),
                 official_step(content.communes,
                                                              config.province)),
                lambda shown: (root / shown).read_bytes(),
                category_aliases=content.references.category_aliases,
                certifier_rules=content.references.certifier_rules)
    return site, len(errors.errors)


def _row_lines(row: RowPlan) -> list[str]:
    where = row.where.format()
    lines = []
    if row.producer is not None:
        made = row.producer
        lines.append(f"{where}: new producer → {made.path}: '{made.name}', {made.type} / "
                     "cơ sở mới")
    if row.action == NEW:
        lines.append(f"{where}: new product → {row.path}: {row.detail_en} / sản phẩm mới")
    elif row.action == UPDATE:
        lines.append(f"{where}: update {row.path}: {row.detail_en} / cập nhật")
    elif row.action == UNCHANGED:
        lines.append(f"{where}: unchanged {row.path} / không đổi")
    elif row.action == ATTENTION_ROW:
        lines.append(f"{where}: needs attention: {row.detail_en} / cần xem lại: "
                     f"{row.detail_vi}")
    else:
        lines.append(f"{where}: skipped: {row.detail_en} / bỏ qua: {row.detail_vi}")
    return lines


def summary(plan: Plan, wrote: int | None) -> str:
    """The final count line."""
    counts = {action: plan.count(action) for action in (NEW, UPDATE, UNCHANGED,
                                                         ATTENTION_ROW, SKIPPED)}
    files = len(plan.writes)
    en = (f"{len(plan.rows)} row(s): {counts[NEW]} new product(s) ({plan.new_producers} new "
          f"producer(s)), {counts[UPDATE]} update(s), {counts[UNCHANGED]} unchanged, "
          f"{counts[ATTENTION_ROW]} need(s) attention, {counts[SKIPPED]} skipped")
    vi = (f"{len(plan.rows)} dòng: {counts[NEW]} sản phẩm mới ({plan.new_producers} cơ sở "
          f"mới), {counts[UPDATE]} cập nhật, {counts[UNCHANGED]} không đổi, "
          f"{counts[ATTENTION_ROW]} cần xem lại, {counts[SKIPPED]} bỏ qua")
    if wrote is None:
        tail_en = f"nothing written (add --write to write {files} file(s))" if files \
            else "nothing to write"
        tail_vi = f"chưa ghi gì (thêm --write để ghi {files} tệp)" if files \
            else "không có gì để ghi"
    else:
        tail_en, tail_vi = (f"wrote {wrote} file(s); check: OK",
                            f"đã ghi {wrote} tệp; kiểm tra: không có lỗi")
    return f"{en}; {tail_en} / {vi}; {tail_vi}"


def _annotation(message: RowMessage, file: str) -> str:
    command = "notice" if message.severity == INFO else "error"
    where = message.where.format()[len(message.where.file):].lstrip(":")
    title = f"{where}: {message.field}" if where else message.field
    return (f"::{command} file={escape_property(file)},title={escape_property(title)}::"
            f"{escape_data(message.en + ' / ' + message.vi)}")


def print_plan(plan: Plan, notes: Sequence[RowMessage], style: str, file: str,
               out: TextIO) -> None:
    def say(message: RowMessage) -> None:
        print(_annotation(message, file) if style == "github" else message.format(), file=out)

    for note in (*notes, *plan.notes):
        say(note)
    for row in plan.rows:
        for line in _row_lines(row):
            print(line, file=out)
        for message in row.messages:
            say(message)


def _usage(failure: ImportFailure, file: Path) -> int:
    print(failure.format(file.name), file=sys.stderr)
    print("nothing was written / chưa ghi gì", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace, check: Callable[[Path], object]) -> int:
    """`check`: the checker run on the result of --write (builder.check: the CLI hands it
    over, so the importer, a command like `new`, does not import the builder)."""
    try:
        options = _options(args)
        encoding = None
        if args.encoding:
            from .csvfile import encoding_name
            try:
                encoding = encoding_name(args.encoding)
            except ValueError:
                raise ImportFailure(f"--encoding: '{args.encoding}' is not utf-8 or cp1258",
                                    f"--encoding: '{args.encoding}' không phải utf-8 hay "
                                    "cp1258") from None
        table = read_table(args.file, args.sheet, encoding, holds_list)
        header = find_header(table.rows)
        if header is None:
            raise ImportFailure(
                "no header row found: a row near the top naming the product ('Tên sản "
                "phẩm') and at least two other columns ('Chủ thể', 'Địa chỉ', 'Hạng sao', "
                "'Nhóm sản phẩm', 'Số QĐ', 'Ngày')",
                "không tìm thấy dòng tiêu đề cột: một dòng gần đầu bảng ghi tên sản phẩm "
                "('Tên sản phẩm') và ít nhất hai cột khác ('Chủ thể', 'Địa chỉ', 'Hạng sao', "
                "'Nhóm sản phẩm', 'Số QĐ', 'Ngày')")
    except ImportFailure as failure:
        return _usage(failure, args.file)
    parsed = parse_rows(table, header, options)
    try:
        site, site_errors = load_site(args.source)
    except ContentErrors as exc:
        for error in exc.errors:
            print(error.format(), file=sys.stderr)
        return EXIT_USAGE
    plan = make_plan(parsed, site)
    shown = github_file(Path.cwd(), str(args.file), Path.cwd())  # as CI's checkout names it
    print_plan(plan, table.notes, args.format, shown, sys.stdout)
    attention = plan.count(ATTENTION_ROW) > 0
    if not args.write or not plan.writes:
        print(summary(plan, None))
        return EXIT_ATTENTION if attention else EXIT_OK
    if site_errors:
        print(summary(plan, None))
        print(f"the site has {site_errors} error(s) already; run `check`, fix them, then "
              f"import again / trang đang có {site_errors} lỗi; hãy chạy `check`, sửa, rồi "
              "nhập lại", file=sys.stderr)
        return EXIT_ATTENTION
    return _write(plan, args.source, attention, check)


def _write(plan: Plan, source: Path, attention: bool, check: Callable[[Path], object]) -> int:
    from .writing import write_plan

    try:
        errors = write_plan(source, plan.writes, check)
    except OSError as exc:
        print(summary(plan, None))
        print(f"ocop-site import: error: {exc}; nothing was written / lỗi: {exc}; chưa ghi gì",
              file=sys.stderr)
        return EXIT_ATTENTION
    if errors:
        print(summary(plan, None))
        for error in errors:
            print(error.format(), file=sys.stderr)
        print(f"{len(errors)} error(s) in the result; nothing was written / {len(errors)} lỗi "
              "trong kết quả; chưa ghi gì", file=sys.stderr)
        return EXIT_ATTENTION
    print(summary(plan, len(plan.writes)))
    return EXIT_ATTENTION if attention else EXIT_OK
