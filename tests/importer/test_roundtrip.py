"""The site's own open data, catalogue.csv from a real build, imported back: into the
same site every row is unchanged; into a copy without products it makes the same
products again."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder

from ..conftest import FIXTURE_SITE, TODAY
from ..test_cli import run
from .sheets import run_import, tree


@pytest.fixture(scope="module")
def catalogue_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    result = run("build", "--source", str(site), "--output", str(root / "public"))
    assert result.returncode == 0, result.stderr
    return root / "public" / "catalogue.csv"


def published(site: Path) -> dict[str, tuple]:
    """Every published product as the pages show it, by slug (the file name aside)."""
    _, catalogue, _ = builder.load(site, today=TODAY)
    return {p.slug: (p.name, p.stars, p.category, p.commune, p.commune_as_written,
                     p.producer, p.certificate, p.summary, p.price, p.unit)
            for p in catalogue.products}


def test_into_the_same_site_every_row_is_unchanged(site: Path, catalogue_csv: Path) -> None:
    before = tree(site)
    result = run_import(site, catalogue_csv, "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if ":row " in line
            and "note:" not in line]
    assert rows and all(": unchanged content/products/" in line for line in rows), rows
    assert len(rows) == len(published(site))
    assert result.stdout.splitlines()[-1].startswith(
        f"{len(rows)} row(s): 0 new product(s) (0 new producer(s)), 0 update(s), "
        f"{len(rows)} unchanged, 0 need(s) attention, 0 skipped; nothing to write")
    assert tree(site) == before


def test_into_a_copy_without_products_it_makes_them_again(site: Path, tmp_path: Path,
                                                          catalogue_csv: Path) -> None:
    expected = published(site)
    empty = tmp_path / "empty"
    shutil.copytree(site, empty)
    for folder in ("products", "events"):  # events name products; producers stay
        shutil.rmtree(empty / "content" / folder)
    (empty / "content/products").mkdir()
    result = run_import(empty, catalogue_csv, "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    assert published(empty) == expected
    assert run("check", "--source", str(empty)).returncode == 0
