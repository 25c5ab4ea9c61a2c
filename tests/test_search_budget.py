"""Issue 31: what a search costs a phone, on a generated catalogue of 1,000 products
(benchmarks/generate.py, built once for the module), in Debian's chromium.

Counted as benchmarks/search_payload.py counts: every file fetched under the search index
folder (Urls.search_index, whatever its files are called) plus the search script, each at
its gzip size (gzip -6, or as it is when that is smaller), as the test server sends them:
it compresses like a static host does (searchprobe.Server(compress=True)).

The budget: issue 31 asks for <=200 KB for a `?q=` search at 10,000 products. At 1,000
products this test allows 120 KB: the parts every search loads (the script, the index's
entry and metadata) do not shrink with the catalogue, the parts a query loads should grow
with it (its words' postings, its results' records), so the 1,000-product budget is
60% of the 10,000-product one rather than a tenth; an index whose download grows with the
whole catalogue is already over it at 1,000 products.

Expected to FAIL on today's Pagefind index (measured before the change: see
benchmarks/results/search-payload-before.txt): `?q=mat+ong` fetches more than 120 KB,
and the page calls pf.filters() on load, fetching pagefind/filter/* with the filter panel
closed. The index of issue 31 is to make both pass. Nothing here is marked xfail.
"""
from __future__ import annotations

import pytest

from .searchprobe_fixtures import PHONE, browser, searchprobe  # noqa: F401

PRODUCTS = 1000
BUDGET = 120_000  # bytes, gzip-counted, files under the index folder + search script


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    import generate  # benchmarks/generate.py, on sys.path through searchprobe_fixtures

    root = tmp_path_factory.mktemp("search-budget")
    generate.generate(root / "source", PRODUCTS)
    searchprobe.build_site(root / "source", root / "public")
    server = searchprobe.Server(root / "public", compress=True)
    yield server
    server.close()


@pytest.fixture(scope="module")
def mat_ong(site, browser):  # noqa: F811
    """The search for "mat ong" sent to the search page (?q=), on a phone, first visit."""
    context = searchprobe.new_context(browser, **PHONE)
    try:
        search = searchprobe.run_search(context, site.base, "mat ong", all_results=False)
    finally:
        context.close()
    return search


def test_a_query_fits_the_budget(site, mat_ong) -> None:
    assert mat_ong.count > 0, mat_ong.status
    sizes = [(url.split("?")[0][len(site.base) - 1:],
              searchprobe.gzip_size(site.file_for(url).read_bytes()))
             for url, _ in mat_ong.files]
    total = sum(size for _, size in sizes)
    largest = ", ".join(f"{path} {size:,}" for path, size in
                        sorted(sizes, key=lambda item: -item[1])[:5])
    assert total <= BUDGET, (f"?q=mat+ong fetched {total:,} bytes (gzip) in {len(sizes)} "
                             f"files, over {BUDGET:,}; largest: {largest}")


def test_no_filter_file_before_the_filter_panel_opens(mat_ong) -> None:
    """On a phone the filter panel stays closed and nothing touched it: the counts beside
    its boxes are in the page's HTML, no file of the index should be fetched for them."""
    filters = [url for url, _ in mat_ong.files if searchprobe.is_filter_file(url)]
    assert filters == [], f"{len(filters)} filter files fetched, e.g. {filters[:3]}"
