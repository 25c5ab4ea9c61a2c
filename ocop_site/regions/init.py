"""`init DIR --province …`: a new site folder written from the official lists (`check`'s
comparison of a site's communes.yaml with them is content/official.py).

The communes, their official codes and the units each was formed from come from the
gazetteer (vietnam-provinces, vietnamadminunits), never typed by hand; the classification
is the project's content/data/categories.yaml (Decision 148/QĐ-TTg). The file texts are
made by pure functions; the CLI writes them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..errors import UsageError, nearest
from ..text import vietnamese
from . import gazetteer

PROJECT = Path(__file__).resolve().parent.parent.parent
CLASSIFICATION = PROJECT / "content" / "data" / "categories.yaml"


class InitError(UsageError):
    """A usage problem (unknown province or commune, folder not empty), written as
    'English / Vietnamese'."""

    def __init__(self, message: str):
        en, _, vi = message.partition(" / ")
        super().__init__(en, vi or en)
        self.args = (message,)

    def __str__(self) -> str:
        return self.args[0]


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chosen_communes(province: gazetteer.Province,
                    names: Sequence[str] | None) -> tuple[gazetteer.Commune, ...]:
    """The communes `--communes` names (current names, with or without "xã"), in the
    order given; all of the province's when `names` is None."""
    if not names:
        return gazetteer.communes_of(province)
    found, unknown = [], []
    for name in names:
        commune = gazetteer.find_commune(province, name)
        if commune is None:
            unknown.append(name)
        elif commune not in found:
            found.append(commune)
    if unknown:
        hints = []
        for name in unknown:
            former = gazetteer.resolve_former(name, province=province.name).commune
            near = nearest(name, [c.name for c in gazetteer.communes_of(province)],
                           key=vietnamese.fold)
            hint = f"'{name}'"
            if former is not None:
                hint += f" (a former unit, now {former.full_name} / nay thuộc {former.full_name})"
            elif near:
                hint += f" (did you mean / có phải '{near}'?)"
            hints.append(hint)
        raise InitError(f"not a current commune of {province.name}: {', '.join(hints)} / "
                        f"không phải xã, phường hiện nay của {province.name}")
    return tuple(found)


def communes_yaml(province: gazetteer.Province,
                  communes: Iterable[gazetteer.Commune]) -> str:
    """communes.yaml: every chosen commune with its kind, official code and the units it
    was formed from ("xã Tân Lập, huyện Sông Lô"), the source named at the top."""
    lines = [
        f"# Các xã, phường hiện nay (từ 01/07/2025) của {province.kind} {province.name} và các",
        "# đơn vị cũ hợp thành mỗi xã, lấy từ danh mục chính thức (không gõ tay) bằng",
        "# `ocop-site init`. Current communes of the province and the units each was formed",
        "# from, as the official lists give them. Source / nguồn: " + gazetteer.sources() + ".",
        "# Mã xã: danh mục của Cục Thống kê; đơn vị cũ: các nghị quyết sắp xếp đơn vị hành",
        "# chính cấp xã năm 2025 của Ủy ban Thường vụ Quốc hội.",
        "# aliases: tên các xã đã nhập vào một đơn vị cũ trước năm 2025, không dấu như",
        "# vietnamadminunits ghi (khớp với mọi cách bỏ dấu: \"Bach Luu\" = \"Bạch Lưu\"). Names",
        "# of units merged before 2025, unmarked as the data gives them; they match any marks.",
        "# Thêm `aliases:` (cách viết khác), `description:`, `image:` tùy ý; một mục khác danh",
        "# mục chính thức thì ghi lý do ở `differs_from_official:`.",
        "communes:",
    ]
    communes = tuple(communes)
    older = older_aliases(province, communes)
    for commune in communes:
        lines += [f"  - name: {commune.name}", f"    kind: {commune.kind}",
                  f"    code: {_quoted(commune.code)}"]
        units = [f"{u.full_name}, {u.district_kind} {u.district}" for u in commune.formed_from]
        units = list(dict.fromkeys(units))
        if units:
            lines.append("    formed_from:")
            lines += [f"      - {unit}" for unit in units]
        if older.get(commune.code):
            lines.append(f"    aliases: [{', '.join(older[commune.code])}]")
    return "\n".join(lines) + "\n"


def older_aliases(province: gazetteer.Province,
                  communes: Sequence[gazetteer.Commune]) -> dict[str, list[str]]:
    """Commune code → the names of units merged before 2025 into the units it was formed
    from ("Bach Luu" for Hải Lựu), each once; a name that is also a current commune's of
    the province or a 2025 unit's of the site, or that two of the site's communes would
    claim, is left out (it names no one place)."""
    def letters(name: str) -> str:
        return vietnamese.slugify(name).replace("-", "")

    taken = {letters(c.name) for c in gazetteer.communes_of(province)}
    taken |= {letters(u.name) for c in communes for u in c.formed_from}
    claims: dict[str, set[str]] = {}
    for commune in communes:
        for unit in commune.formed_from:
            for name in unit.merged:
                claims.setdefault(letters(name), set()).add(commune.code)
    found: dict[str, list[str]] = {}
    for commune in communes:
        names = {letters(n): n for u in commune.formed_from for n in u.merged}
        found[commune.code] = [name for key, name in names.items()
                               if key not in taken and len(claims[key]) == 1]
    return found


def site_yaml(province: gazetteer.Province, title: str | None) -> str:
    title = title or f"Sản phẩm OCOP {province.kind} {province.name}"
    return "\n".join([
        f"title: {_quoted(title)}",
        f"tagline: {_quoted(f'Sản phẩm được chứng nhận OCOP của {province.kind} {province.name}')}",
        "base_url: https://example.org/",
        "languages: [vi]",
        "region:",
        f"  name: {province.name}",
        f"  kind: {province.kind}",
        f"  province: {province.name}",
        "featured_limit: 6",
        "newest_limit: 6",
    ]) + "\n"


def site_files(province: gazetteer.Province, communes: Sequence[gazetteer.Commune],
               title: str | None = None) -> dict[str, str]:
    """Relative path → text of every file `init` writes."""
    return {
        "site.yaml": site_yaml(province, title),
        "content/data/communes.yaml": communes_yaml(province, communes),
        "content/data/categories.yaml": CLASSIFICATION.read_text(encoding="utf-8"),
        "content/products/.gitkeep": "",
        "content/producers/.gitkeep": "",
    }


def write_site(folder: Path, files: dict[str, str]) -> None:
    """Write a new site; refuse a folder that already holds anything."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"{folder} exists and is not empty; choose a new folder / "
                        f"{folder} đã có nội dung; hãy chọn thư mục mới")
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


# --- check: the site's communes.yaml against the official lists -------------------------
