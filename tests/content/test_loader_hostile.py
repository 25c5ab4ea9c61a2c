"""The loader never crashes: whatever a product, producer or event file holds, loading
ends with content or with errors naming the file — never with a traceback."""
from __future__ import annotations

import datetime as dt
import shutil
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop_site.content.config import load_config
from ocop_site.content.loader import load_content
from ocop_site.content.schema import EVENT_FIELDS, PRODUCER_FIELDS, PRODUCT_FIELDS
from ocop_site.errors import ErrorCollector

from ..conftest import FIXTURE_SITE, TODAY

KEYS = sorted({f.name for f in PRODUCT_FIELDS + PRODUCER_FIELDS + EVENT_FIELDS}
              | {"decision", "date", "issued_by", "valid_until", "src", "alt", "nmae", "x"})
PLAUSIBLE = ["che-tuoi-che-bien", "mat-ong", "do-uong", "Sông Lô", "Như Thuỵ", "xã Đôn Nhân",
             "htx-che-dong-thinh", "ho-mat-ong-don-nhan", "images/che.jpg", "../../site.yaml",
             "/etc/passwd", "images", "che.jpg", "https://example.org/", "javascript:alert(1)",
             "household", "2024-02-30", "", " ", "150.000", "0900 000 101"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(),
    st.text(max_size=20), st.sampled_from(PLAUSIBLE), st.dates(), st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=12)
FOLDERS = ("products", "producers", "events")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def load_with(site: Path, folder: str, raw: bytes) -> ErrorCollector:
    path = site / "content" / folder / "fuzz.md"
    path.write_bytes(raw)
    try:
        errors = ErrorCollector()
        config = load_config(site, errors, today=TODAY)
        assert config is not None
        load_content(config, errors)  # must not raise
    finally:
        path.unlink()
    for error in errors.errors:
        assert error.path and error.field and error.message_en and error.message_vi
    return errors


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FOLDERS), documents, st.text(max_size=80))
def test_any_front_matter_loads_or_reports(site: Path, folder: str, data: dict,
                                           body: str) -> None:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    errors = load_with(site, folder, f"---\n{front}---\n{body}\n".encode("utf-8"))
    if errors.errors:
        assert any(e.path == f"content/{folder}/fuzz.md" for e in errors.errors)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FOLDERS), st.binary(max_size=300))
def test_any_bytes_load_or_report(site: Path, folder: str, raw: bytes) -> None:
    load_with(site, folder, raw)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FOLDERS), st.lists(st.sampled_from(
    [f"{k}: " for k in KEYS] + ["  ", "- ", "\n", "[", "]", "{", "}", ":", "'", '"', "&a ",
     "*a", "!!str ", "# ", "---\n", "|\n", ">\n"] + list(string.ascii_letters[:6])
    + PLAUSIBLE), max_size=40))
def test_yaml_shaped_noise_loads_or_reports(site: Path, folder: str, pieces: list[str]) -> None:
    load_with(site, folder, ("---\n" + "".join(pieces) + "\n---\nMô tả.\n").encode("utf-8"))


def test_a_valid_file_written_the_same_way_loads(site: Path) -> None:
    """The fuzzing path can succeed: a real product written through yaml.safe_dump."""
    data = {"name": "Chè thử", "stars": 4, "category": "che-tuoi-che-bien",
            "commune": "Sông Lô", "producer": "htx-che-dong-thinh",
            "certificate": {"decision": "1/QĐ", "date": dt.date(2025, 1, 2)}}
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert load_with(site, "products", f"---\n{front}---\nMô tả.\n".encode()).errors == []
