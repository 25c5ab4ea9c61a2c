"""`import`'s command-line options: apart from command.py, so that building the CLI's
parser (every command, `--help` too) imports nothing of the importer."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE",
                        help=".xlsx or .csv (UTF-8, with or without BOM, or Windows-1258)")
    parser.add_argument("--sheet", help="the sheet to read (default: the one visible sheet "
                        "holding a list; hidden sheets only when named) / trang tính cần đọc")
    parser.add_argument("--write", action="store_true",
                        help="write the files and check the site (default: only print the "
                             "plan) / ghi tệp và kiểm tra")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text (default), or github: problems as GitHub Actions "
                             "annotations")
    parser.add_argument("--encoding", help="a CSV file's encoding: utf-8 or cp1258 "
                        "(Windows-1258); default: detected / bảng mã của tệp CSV")
    parser.add_argument("--decision", help="the decision number for rows without a 'Số QĐ' "
                        "column, e.g. 245/QĐ-UBND (default: from the title line)")
    parser.add_argument("--date", help="the decision's date, dd/mm/yyyy or YYYY-MM-DD "
                        "(default: from the title line)")
    parser.add_argument("--issued-by", dest="issued_by",
                        help="who signed it, e.g. 'UBND tỉnh Phú Thọ' (default: from the "
                             "title line)")
