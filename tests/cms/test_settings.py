"""`cms:` in site.yaml: which git host the published form saves to, checked like the
rest of site.yaml (file, line, field, English and Vietnamese, what to write instead)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.content.config import CmsSettings
from ocop_site.errors import ContentErrors

from ..conftest import TODAY


def with_cms(site: Path, block: str) -> Path:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + block, encoding="utf-8")
    return site


def errors_of(site: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    return [error.format() for error in info.value.errors]


def test_no_cms_is_none_and_serve_makes_it_local(site: Path) -> None:
    config, _, _ = builder.load(site, today=TODAY)
    assert config.cms == CmsSettings() and not config.cms.published
    config, _, _ = builder.load(site, today=TODAY, local_cms=True)
    assert config.cms.local and config.cms.published
    with_cms(site, "cms: none\n")
    config, _, _ = builder.load(site, today=TODAY)
    assert config.cms.backend == "none" and not config.cms.published


def test_github_and_gitlab_settings_are_read(site: Path, tmp_path: Path) -> None:
    with_cms(site, "cms:\n  backend: github\n  repo: ocop-phutho/song-lo\n"
                   "  base_url: https://oauth.example.org\n  open_authoring: false\n")
    config, _, _ = builder.load(site, today=TODAY)
    assert config.cms == CmsSettings("github", "ocop-phutho/song-lo", "main",
                                     "https://oauth.example.org", open_authoring=False)
    text = (site / "site.yaml").read_text(encoding="utf-8").split("cms:")[0]
    (site / "site.yaml").write_text(text + "cms:\n  backend: gitlab\n  repo: so/nn/song-lo\n"
                                    "  app_id: abc123\n  branch: trunk\n", encoding="utf-8")
    config, _, _ = builder.load(site, today=TODAY)
    assert (config.cms.backend, config.cms.repo, config.cms.app_id, config.cms.branch) == (
        "gitlab", "so/nn/song-lo", "abc123", "trunk")


def test_what_each_backend_needs_is_asked_for(site: Path) -> None:
    with_cms(site, "cms:\n  backend: github\n")
    messages = errors_of(site)
    line = len((site / "site.yaml").read_text(encoding="utf-8").splitlines())
    assert any(m.startswith(f"site.yaml:{line}: cms.repo: the github backend needs 'repo:'; "
                            "add a line like '  repo: owner/name' (see docs/cms.md) / backend "
                            "github cần 'repo:'") for m in messages), messages
    assert any(m.startswith(f"site.yaml:{line}: cms.base_url:") for m in messages), messages
    (site / "site.yaml").write_text((site / "site.yaml").read_text(encoding="utf-8")
                                    .replace("github", "gitlab"), encoding="utf-8")
    messages = errors_of(site)
    assert any("cms.app_id: the gitlab backend needs 'app_id:'" in m for m in messages)


@pytest.mark.parametrize("block, expected", [
    ("cms:\n  backend: gihub\n", "cms.backend: unknown backend 'gihub' — did you mean "
                                "'github'? (one of: none, github, gitlab)"),
    ("cms: github\n", "cms: must be 'none' or indented fields starting with 'backend:', "
                      "got 'github'"),
    ("cms:\n  backend: gitlab\n  repo: not a repo\n  app_id: x\n",
     "cms.repo: must be the repository as owner/name, got 'not a repo'"),
    ("cms:\n  backend: github\n  repo: a/b\n  base_url: oauth.example.org\n",
     "cms.base_url: must start with https://"),
    ("cms:\n  backend: github\n  repo: a/b\n  base_url: https://o.example.org\n  app: 1\n",
     "cms.app: unknown field 'app'"),
])
def test_mistakes_are_reported_at_their_line(site: Path, block: str, expected: str) -> None:
    with_cms(site, block)
    messages = errors_of(site)
    assert any(expected in m and m.startswith("site.yaml:") and " / " in m
               for m in messages), messages
