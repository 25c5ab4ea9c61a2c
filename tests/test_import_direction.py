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

# Lowest first. The flow content → models → catalogue → pages → render → output, with
# what each stage leans on below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundations: text, errors, writes, digests, worker processes, the inputs' walk, "
     "the code's version, HTML",
     ("text", "errors", "atomicfile", "markdown", "progress", "fingerprint", "workers",
      "version", "inputs")),
    ("the official lists of provinces and communes",
     ("gazetteer",)),
    ("file formats: models, front-matter and YAML, safe paths, field tables",
     ("content", "content.models", "content.frontmatter", "content.safepath",
      "content.schema", "content.aliases", "content.communemap")),
    ("the law's data: who may certify which star level; sites from the official lists",
     ("rules", "rules.certifier", "initsite")),
    ("site settings: interface strings, then site.yaml, the assets it publishes",
     ("i18n", "config", "assets")),
    ("content: names, the index of references, the parse cache, one reader per kind",
     ("content.lookup", "content.references", "content.cache", "content.readers",
      "content.readers.context", "content.readers.checks", "content.readers.translations",
      "content.readers.data", "content.readers.producers", "content.readers.products",
      "content.readers.events", "content.loader", "content.update")),
    ("catalogue: the published items indexed, and each language's view of them",
     ("catalogue", "localize")),
    # search: running Pagefind over search records, and merging its bundles
    ("photos and search index",
     ("imaging", "images", "searchbundle", "searchcache", "search")),
    # what a render looks up (templates, strings), noted for the output cache
    ("recorded lookups", ("recorded",)),
    ("pages: every URL, what a page shows, long lists, each page's template and context",
     ("urls", "views", "listpages", "pages")),
    # outputs/jsonld and outputs/social are page metadata render uses, not output files
    ("page metadata: schema.org, Open Graph, the product card",
     ("outputs.jsonld", "outputs.social", "fragments")),
    ("render: templates → HTML",
     ("render",)),
    ("files beside the pages: sitemap, feed, open data, QR codes, search records, the "
     "service worker",
     ("outputs", "outputs.feed", "outputs.opendata", "outputs.qr", "outputs.sitemap",
      "searchrecords", "outputs.offline")),
    # admin.py makes files beside the pages (lazily importing render's star text);
    # localapi.py is serve's write API, checking a save with the loader
    ("the producers' web form: its configuration and files, serve's local write API",
     ("cms", "cms.vendored", "cms.config", "cms.admin", "cms.localapi")),
    ("jobs: every page and file with the key of its inputs",
     ("jobs",)),
    ("commit: the staging folder, the output cache, the job pool, the build state",
     ("writer", "pagecache", "buildstate", "renderpool", "placing")),
    ("the build, and serve's session of builds",
     ("builder", "session")),
    ("entry points: commands",
     ("report", "scaffold", "importer", "importer.options", "importer.messages",
      "importer.values", "importer.reading", "importer.xlsx", "importer.csvfile",
      "importer.headers", "importer.rows", "importer.resolve", "importer.producers",
      "importer.planrow", "importer.plan", "importer.editing", "importer.writing", "importer.command",
      "serve", "cli")),
)
# Who may import these at all (build.py and the console script, outside the package,
# import cli).
ONLY_FROM = {
    "cli": frozenset(),
    "builder": frozenset({"cli", "serve", "session"}),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module of ocop_site) for every import in the file, relative or absolute."""
    name = module_name(path)
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


def test_only_the_entry_points_import_the_builder_and_the_cli() -> None:
    wrong = [f"ocop_site/{path.relative_to(PACKAGE)}:{line}: {name} imports {target}"
             for name, path in modules().items() for line, target in imports_of(path)
             if target in ONLY_FROM and name not in ONLY_FROM[target]]
    assert wrong == []


def test_the_import_reader_sees_relative_deferred_and_package_imports(tmp_path: Path) -> None:
    """The checker itself, on real files of the package: it must not pass by seeing
    nothing."""
    cli = dict(imports_of(PACKAGE / "cli.py"))
    assert "builder" in cli.values() and "scaffold" in cli.values()  # deferred imports
    assert "outputs.feed" in {t for _, t in imports_of(PACKAGE / "jobs.py")}  # from . import
    readers = {t for _, t in imports_of(PACKAGE / "content/readers/data.py")}
    assert {"text", "content.references", "content.readers.checks"} <= readers
    layers = layer_of()
    assert layers["text"] < layers["content.loader"] < layers["pages"] < layers["cli"]
