"""axe-core (npm `axe-core`) injected into the built pages in Debian's chromium: WCAG 2.1
A and AA rules, on one page of each kind, at phone and desktop widths, with JavaScript on
(the sort/filter controls and search results the scripts add are checked too), and on
the producers' web form (admin/, en/admin/) once Decap has drawn its login screen."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from .browser import VIEWPORTS, RequestLog, in_browser
from .conftest import PAGES, Site, node_tool

# the web form in each language: Decap's login screen, styled by cms/static/admin.css
FORM_PAGES = {"form": "admin/", "form (en)": "en/admin/"}
AUDITED = {**PAGES, **FORM_PAGES}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]})
  .then(r => ({violations: r.violations, passed: r.passes.length,
               version: r.testEngine.version}))"""
# a page with three faults axe must name: proof the injection and the rule set work
BROKEN_PAGE = """<!doctype html><html><head><title>x</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#aaa;background:#fff">faint text</p></main></body></html>"""


@dataclass(frozen=True)
class Audit:
    violations: tuple[dict[str, Any], ...]
    requests: RequestLog
    passed: int = 0  # rules that applied and passed
    axe_version: str = ""


def _audit_all(site: Site) -> dict[tuple[str, str], Audit]:
    axe = str(node_tool("axe-core/axe.min.js"))

    def work(browser) -> dict[tuple[str, str], Audit]:
        audits = {}
        for width, options in VIEWPORTS.items():
            for name, path in AUDITED.items():
                context = browser.new_context(**options)
                log = RequestLog.attach(context)
                page = context.new_page()
                page.goto(site.url + path, wait_until="load")
                if name in FORM_PAGES:  # Decap draws the login screen after the load
                    page.wait_for_selector("main button, section button")
                if name == "search results":  # the cards are the script's to add
                    page.wait_for_function(
                        "document.querySelector('[data-status]').textContent !== ''")
                page.add_script_tag(path=axe)
                result = page.evaluate(RUN_AXE, AXE_TAGS)
                context.close()
                audits[name, width] = Audit(tuple(result["violations"]), log,
                                            result["passed"], result["version"])
        context = browser.new_context()
        page = context.new_page()
        page.set_content(BROKEN_PAGE)
        page.add_script_tag(path=axe)
        audits["broken", "-"] = Audit(tuple(page.evaluate(RUN_AXE, AXE_TAGS)["violations"]),
                                      RequestLog())
        context.close()
        return audits

    return in_browser(work)


@pytest.fixture(scope="module")
def timed_audits(sample_at_root: Site) -> tuple[dict[tuple[str, str], Audit], float]:
    started = time.perf_counter()
    return _audit_all(sample_at_root), time.perf_counter() - started


@pytest.fixture
def audits(timed_audits) -> dict[tuple[str, str], Audit]:
    return timed_audits[0]


def describe(violations: tuple[dict[str, Any], ...]) -> str:
    """One paragraph per rule: what it wants, and where it failed (first five places)."""
    lines = []
    for rule in violations:
        lines.append(f"[{rule['impact']}] {rule['id']}: {rule['help']} ({rule['helpUrl']})")
        for node in rule["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary}")
            lines.append(f"       {node['html'][:200]}")
        if len(rule["nodes"]) > 5:
            lines.append(f"    …and {len(rule['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(AUDITED))
def test_no_wcag_violations(audits: dict[tuple[str, str], Audit], name: str,
                            width: str) -> None:
    violations = audits[name, width].violations
    print(f"axe {name} @ {width}: {len(violations)} violations, "
          f"{audits[name, width].passed} rules passed")
    # axe ran on a real page (the login screen is small: ten rules apply to it)
    assert audits[name, width].passed > (8 if name in FORM_PAGES else 10)
    assert not violations, f"axe-core on the {name} page at {width} width:\n" + describe(
        violations)


def test_axe_finds_faults_it_is_shown(audits: dict[tuple[str, str], Audit]) -> None:
    found = {rule["id"] for rule in audits["broken", "-"].violations}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= found


def test_pages_load_only_from_this_host(audits: dict[tuple[str, str], Audit]) -> None:
    """No CDN, font or analytics request, and every resource the pages ask for exists
    (the deliberately missing page's own 404 apart)."""
    foreign = {url for audit in audits.values() for url in audit.requests.foreign()}
    missing_page = f"/{PAGES['404']}: HTTP 404"
    failed = {failure for audit in audits.values() for failure in audit.requests.failures
              if not failure.endswith(missing_page)}
    assert not foreign
    assert not failed
    total = sum(len(audit.requests.urls) for audit in audits.values())
    assert total > 50
    print(f"{total} requests, all to 127.0.0.1, none failed")


def test_summary(timed_audits, summary: Callable[[str], None]) -> None:
    audits, seconds = timed_audits
    pages = {key: audit for key, audit in audits.items() if key[0] in AUDITED}
    violations = sum(len(audit.violations) for audit in pages.values())
    version = next(iter(pages.values())).axe_version
    summary(f"axe-core {version} (WCAG 2.1 A+AA): {violations} violations on {len(AUDITED)} "
            f"pages (the web form's two included) × {len(VIEWPORTS)} widths ({seconds:.0f} s)")
    assert len(pages) == len(AUDITED) * len(VIEWPORTS)
