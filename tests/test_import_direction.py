"""The direction of imports, as data: each module of ocop_site/ imports only from its own
layer or the layers before it, and only the entry points import the builder or the CLI.

Every import is read with `ast`, including the ones inside functions (the CLI defers its
imports so `--help` stays instant; a deferred import is still a dependency). A new module
must be placed in LAYERS; the failure message names the file, the line and the import.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ocop_site"

# The stage folders, in the order data flows through them (../docs/architecture.md):
# a module imports only from its own folder or the folders before it. '' is the
# package's top: errors.py and report.py (the error family, and how it is shown) sit
# below everything; serve.py and cli.py, the doors, above everything (DOORS).
FOLDERS = ("", "text", "base", "regions", "rules", "content", "images", "site", "search",
           "outputs", "cms", "output", "pipeline", "scaffold", "importer")
DOORS = frozenset({"serve", "cli"})

# Lowest first, within and across the folders. The flow content → models → catalogue →
# pages → render → output, with what each stage leans on below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the error family, and its lines for people or for CI",
     ("errors", "report")),
    ("text: Vietnamese text, Markdown, YAML front-matter with lines",
     ("text", "text.vietnamese", "text.markdown", "text.frontmatter")),
    ("base: one file written safely, the worker pool, child processes, the code's version, "
     "the inputs' walk",
     ("base", "base.files", "base.workers", "base.children", "base.version", "base.inputs")),
    ("regions: the official lists of provinces and communes, init's new site",
     ("regions", "regions.older", "regions.gazetteer", "regions.init")),
    ("rules: who may certify which star level; the online stores and their hosts",
     ("rules", "rules.certifier", "rules.platforms")),
    ("content formats: opening hours, models, safe paths, field tables, old category ids, communes' names",
     ("content", "content.hours", "content.models", "content.safepath", "content.schema", "content.aliases",
      "content.communemap")),
    ("content settings: interface strings, the plan's targets, then site.yaml",
     ("content.i18n", "content.targets", "content.config")),
    ("content: names, the index of references, the parse cache, one reader per kind, the "
     "official lists compared",
     ("content.lookup", "content.references", "content.cache", "content.readers",
      "content.readers.context", "content.readers.checks", "content.readers.translations",
      "content.readers.data", "content.readers.producers", "content.readers.online",
      "content.readers.products", "content.readers.named", "content.readers.events",
      "content.readers.shops", "content.loader", "content.update", "content.official")),
    ("images: the pixel work, then the photos' cache and models",
     ("images", "images.pixels", "images.photos")),
    ("site: the catalogue, each language's view of it, the programme's figures",
     ("site", "site.catalogue", "site.localize", "site.assets", "site.statistics")),
    # what a render looks up (templates, strings), noted for the output cache
    ("site: recorded lookups", ("site.recorded",)),
    ("site: every URL, what a page shows, long lists, each page's template and context",
     ("site.urls", "site.views", "site.shops", "site.listpages", "site.charts", "site.statspage", "site.shoppages",
      "site.pages")),
    ("site: page metadata (schema.org, Open Graph) and the parts rendered once",
     ("site.jsonld", "site.social", "site.fragments")),
    ("site: templates → HTML",
     ("site.render",)),
    ("search: the docs, the words' rules, each doc's cached words, the index files",
     ("search", "search.records", "search.tokens", "search.indexcache", "search.writer")),
    ("outputs: files beside the pages: sitemap, feed, open data, QR codes, service worker",
     ("outputs", "outputs.promotion", "outputs.feed", "outputs.statsdata", "outputs.shopdata",
      "outputs.opendata", "outputs.qr",
      "outputs.sitemap", "outputs.offline")),
    # admin.py makes files beside the pages; localapi.py is serve's write API, checking a
    # save with the loader
    ("cms: the producers' web form: its configuration and files, serve's local write API",
     ("cms", "cms.vendored", "cms.config", "cms.admin", "cms.jsonbody", "cms.localapi")),
    ("output: where bytes end up (the output cache, the folder, and the one entry point)",
     ("output", "output.ahead", "output.folder", "output.cache", "output.place")),
    ("pipeline: jobs keyed by their inputs, placed from the cache or made in the pool",
     ("pipeline", "pipeline.progress", "pipeline.fingerprint", "pipeline.jobs",
      "pipeline.buildstate", "pipeline.depgraph", "pipeline.parts", "pipeline.renderpool",
      "pipeline.placing", "pipeline.stage", "pipeline.graphplan")),
    ("pipeline: the build, and serve's session of builds",
     ("pipeline.memory", "pipeline.later", "pipeline.loadsite", "pipeline.builder",
      "pipeline.session", "pipeline.watch")),
    ("scaffold: `new`",
     ("scaffold", "scaffold.known", "scaffold.shopquestions", "scaffold.questions",
      "scaffold.filetext",
      "scaffold.interview")),
    ("importer: `import` from spreadsheets",
     ("importer", "importer.options", "importer.messages", "importer.values",
      "importer.reading", "importer.xlsx", "importer.csvfile", "importer.headers",
      "importer.rows", "importer.resolve", "importer.producers", "importer.planrow",
      "importer.plan", "importer.editing", "importer.writing", "importer.command")),
    ("doors: commands",
     ("serve", "cli")),
)
# Who may import these at all (build.py and the console script, outside the package,
# import cli).
ONLY_FROM = {
    "cli": frozenset(),
    "pipeline.builder": frozenset({"cli", "serve", "pipeline.session"}),
    # a job's bytes reach the output through output/place.py alone
    "output.cache": frozenset({"output.place", "pipeline.builder", "pipeline.stage",
                               "pipeline.memory", "pipeline.renderpool"}),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """(line, module of ocop_site) for every import in the file, relative or absolute
    (`name`: the module the file is read as; by default where it stands)."""
    name = module_name(path) if name is None else name
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "":
        package = []
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.removeprefix("ocop_site").lstrip("."))
                      for alias in node.names if alias.name.split(".")[0] == "ocop_site"]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if not (node.module or "").startswith("ocop_site"):
                    continue
                base = node.module.removeprefix("ocop_site").lstrip(".").split(".")
            else:
                base = package[:len(package) - node.level + 1] + (
                    node.module.split(".") if node.module else [])
            target = ".".join(p for p in base if p)
            # `from . import feed` names a module; `from .errors import X` a module's name
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.append((node.lineno, sub if is_module(sub) else target))
    return found


def is_module(name: str) -> bool:
    path = PACKAGE.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer_of() -> dict[str, int]:
    return {module: index for index, (_, modules) in enumerate(LAYERS) for module in modules}


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if module_name(p) != ""}


def test_every_module_has_a_layer_and_every_layer_entry_exists() -> None:
    placed = layer_of()
    found = modules()
    assert sorted(set(found) - set(placed)) == [], "add these modules to LAYERS"
    assert sorted(set(placed) - set(found)) == [], "these modules of LAYERS are gone"
    assert len(placed) == sum(len(m) for _, m in LAYERS), "a module is in two layers"


def test_imports_go_only_to_the_same_layer_or_below() -> None:
    placed = layer_of()
    backwards = []
    for name, path in modules().items():
        for line, target in imports_of(path):
            if target in placed and placed[target] > placed[name]:
                backwards.append(f"ocop_site/{path.relative_to(PACKAGE)}:{line}: {name} "
                                 f"({LAYERS[placed[name]][0].split(':')[0]}) imports "
                                 f"{target} ({LAYERS[placed[target]][0].split(':')[0]})")
    assert backwards == []


def folder_rank(module: str) -> int:
    """Where a module's folder stands in FOLDERS (the doors above every folder)."""
    if module in DOORS:
        return len(FOLDERS)
    head = module.split(".")[0]
    return FOLDERS.index(head) if head in FOLDERS else 0


def test_every_folder_is_a_stage_and_imports_only_the_stages_before_it() -> None:
    found = modules()
    top = sorted(n for n in found if "." not in n and not (PACKAGE / n / "__init__.py").exists())
    assert top == sorted({"errors", "report"} | DOORS), "a module at the top that is no door"
    folders = sorted({n.split(".")[0] for n in found if "." in n})
    assert folders == sorted(FOLDERS[1:]), "add the folder to FOLDERS, in its place"
    assert wrong_way_folders(found) == []


def wrong_way_folders(found: dict[str, Path]) -> list[str]:
    return [f"{path}:{line}: {name} imports {target}"
            for name, path in found.items() for line, target in imports_of(path, name)
            if target in found and folder_rank(target) > folder_rank(name)]


def test_each_folder_says_what_it_is_for_and_re_exports_nothing() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init}: say in two or three lines what it holds"
        assert [type(n).__name__ for n in tree.body[1:]] in ([], ["ImportFrom"]) \
            and all(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                    for n in tree.body[1:]), f"{init}: code or re-exports in __init__"


def test_only_the_entry_points_import_the_builder_and_the_cli() -> None:
    wrong = [f"ocop_site/{path.relative_to(PACKAGE)}:{line}: {name} imports {target}"
             for name, path in modules().items() for line, target in imports_of(path)
             if target in ONLY_FROM and name not in ONLY_FROM[target]]
    assert wrong == []


def test_the_import_reader_sees_relative_deferred_and_package_imports(tmp_path: Path) -> None:
    """The checker itself, on real files of the package: it must not pass by seeing
    nothing."""
    cli = dict(imports_of(PACKAGE / "cli.py"))
    assert "pipeline.builder" in cli.values() and "scaffold.interview" in cli.values()  # deferred
    jobs = {t for _, t in imports_of(PACKAGE / "pipeline/jobs.py")}
    assert "outputs.feed" in jobs  # from ..outputs import feed
    readers = {t for _, t in imports_of(PACKAGE / "content/readers/data.py")}
    assert {"text.vietnamese", "content.references", "content.readers.checks"} <= readers
    layers = layer_of()
    assert layers["text.vietnamese"] < layers["content.loader"] < layers["site.pages"] \
        < layers["cli"]
    # a wrong-way import is seen: a module of the content stage importing the site stage
    wrong = tmp_path / "wrong.py"
    wrong.write_text('"""x"""\nfrom ..site.render import render_page\n', encoding="utf-8")
    assert wrong_way_folders({**modules(), "content.wrong": wrong}) == [
        f"{wrong}:2: content.wrong imports site.render"]
