"""Built sites shared by the output tests: the bundled sample site and the small fixture,
each built once per session (the sample's photos are cached in its .cache folder)."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.site.catalogue import Catalogue
from ocop_site.content.config import SiteConfig

from ..conftest import FIXTURE_SITE, REPO, TODAY

SAMPLE_TODAY = dt.date(2026, 11, 29)  # the sample's events and certificates are relative to it


@dataclass(frozen=True)
class Built:
    """A built site and the catalogue it was built from."""

    source: Path
    root: Path
    config: SiteConfig
    catalogue: Catalogue

    def file_for(self, url: str) -> Path:
        """The built file an absolute URL of this site serves (index.html for folders)."""
        base = self.config.base_url
        assert url.startswith(base), f"{url} is not under {base}"
        path = url[len(base):]
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.root / path

    def page(self, site_path: str) -> str:
        return (self.root / site_path).read_text(encoding="utf-8")


def build_site(source: Path, out: Path, today: dt.date) -> Built:
    builder.build(source, out, today=today)
    config, catalogue, _warnings = builder.load(source, today=today)
    return Built(source, out, config, catalogue)


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample catalogue (content/ + site.yaml at the repository root)."""
    return build_site(REPO, tmp_path_factory.mktemp("sample") / "public", SAMPLE_TODAY)


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The small fixture site: one expired product, one product without a price."""
    source = copy_fixture(tmp_path_factory.mktemp("small") / "site")
    return build_site(source, tmp_path_factory.mktemp("small-out") / "public", TODAY)


@pytest.fixture(scope="session")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture with `hide_expired: true`: its expired honey must vanish everywhere."""
    source = copy_fixture(tmp_path_factory.mktemp("hidden") / "site")
    with open(source / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("hide_expired: true\n")
    return build_site(source, tmp_path_factory.mktemp("hidden-out") / "public", TODAY)


@pytest.fixture(params=["small", "sample"])
def built(request: pytest.FixtureRequest) -> Built:
    """Run a test on both the fixture and the bundled sample site."""
    return request.getfixturevalue(request.param)
