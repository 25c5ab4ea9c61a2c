"""Issue 26: the search finds what a buyer means, on the bundled sample catalogue in
Debian's chromium. The queries and the products a person expects for each are in
benchmarks/search_queries.yaml (`sample`); scored as benchmarks/search_precision.py
scores them: precision at 5 (expected among the first 5 / min(5, results)) on average
>= 0.8, recall (expected found anywhere / expected) on average >= 0.9.

Today's Pagefind search is below the precision bar (the "before" numbers are in
benchmarks/results/precision-before.txt); issue 26's ranking work is to raise it.
"""
from __future__ import annotations

import pytest

from .conftest import REPO
from .searchprobe_fixtures import browser, searchprobe  # noqa: F401

MIN_PRECISION = 0.8
MIN_RECALL = 0.9


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("search-precision")
    searchprobe.build_site(REPO, root / "public", copy_to=root / "site")
    server = searchprobe.Server(root / "public")
    yield server
    server.close()


def test_sample_queries_find_what_a_buyer_means(site, browser) -> None:  # noqa: F811
    import search_precision  # benchmarks/, on sys.path through searchprobe_fixtures

    cases = [(q["q"], q.get("lang", "vi"), set(q["expect"]))
             for q in search_precision.load_queries()["sample"]]
    assert len(cases) >= 30
    rows = search_precision.measure(browser, site.base, cases)
    precision = searchprobe.mean(row[2] for row in rows)
    recall = searchprobe.mean(row[3] for row in rows)
    worst = sorted((row for row in rows if row[2] is not None), key=lambda row: row[2])[:5]
    detail = "; ".join(f"{q!r} ({lang}) P@5 {p:.2f}" for q, lang, p, *_ in worst)
    assert precision is not None and precision >= MIN_PRECISION, (
        f"precision at 5 {precision:.2f} < {MIN_PRECISION}; worst: {detail}")
    assert recall is not None and recall >= MIN_RECALL, f"recall {recall:.2f} < {MIN_RECALL}"
