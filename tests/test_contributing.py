"""CONTRIBUTING.md and the example CI workflows stay true: the category table lists exactly
the product sets of the data file, the template passes the check, the example errors are
what the check really prints, and the workflows are valid for GitHub and GitLab."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import FIXTURE_SITE, REPO
from .test_cli import run

DOC = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def fenced_after(marker: str) -> str:
    """The first fenced block after the line holding `marker`."""
    rest = DOC[DOC.index(marker):]
    match = re.search(r"```[a-z]*\n(.*?)```", rest, re.S)
    assert match, marker
    return match.group(1)


def test_category_table_is_generated_from_the_data_file() -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools/category_table.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_category_table_lists_exactly_the_product_sets() -> None:
    data = yaml.safe_load((REPO / "content/data/categories.yaml").read_text(encoding="utf-8"))
    # a group without sub-groups (Cà phê, ca cao) is itself a product set
    leaves = {category["id"] for group in data["groups"] for sub in group["subgroups"]
              for category in sub.get("categories") or [sub]}
    start = DOC.index("<!-- categories:start")
    table = DOC[start:DOC.index("<!-- categories:end -->")]
    assert set(re.findall(r"\| `([a-z0-9-]+)` \|", table)) == leaves
    assert len(leaves) == 26  # Decision 148/QĐ-TTg's 26 product sets


def test_category_table_check_notices_a_stale_table(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import category_table
    finally:
        sys.path.remove(str(REPO / "tools"))
    stale = category_table.replace(DOC, category_table.table().replace("`ca-phe-ca-cao`", "`ca-phe`"))
    assert category_table.embedded(stale) != category_table.table()
    assert category_table.embedded(DOC) == category_table.table()


def test_the_template_passes_the_check(site: Path) -> None:
    template = fenced_after("## 2. Mẫu tệp sản phẩm")
    (site / "content/products/che-bup-dong-thinh.md").write_text(template, encoding="utf-8")
    photo = site / "content/products/images/che.jpg"
    for number in (1, 2):
        shutil.copy(photo, site / f"content/products/images/che-bup-dong-thinh-{number}.jpg")
    result = run("check", "--source", str(site))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("source", ["fixture", "sample"])
def test_the_example_errors_are_real_output(source: str, tmp_path: Path) -> None:
    """The example names only things both sites have, so the output is the same; it is
    checked against the sample catalogue a reader would run it on, too (content errors
    stop the check before any photo is processed, so this is quick)."""
    site = tmp_path / "site"
    if source == "fixture":
        shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    else:
        site.mkdir()
        shutil.copy(REPO / "site.yaml", site / "site.yaml")
        shutil.copytree(REPO / "content", site / "content")
    marker = re.search(r"<!-- check-example:file (\S+) -->", DOC)
    assert marker
    (site / marker.group(1)).write_text(fenced_after(marker.group(0)), encoding="utf-8")
    result = run("check", cwd=site)
    assert result.returncode == 1
    expected = fenced_after("<!-- check-example:output -->").splitlines()
    assert (result.stdout + result.stderr).splitlines() == expected


def test_github_workflow_is_valid_and_checks_with_annotations() -> None:
    path = REPO / "examples/github-actions.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    check_steps = [step.get("run", "") for step in jobs["check"]["steps"]]
    assert "python build.py check --format github" in check_steps
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    build_steps = [step.get("run", "") or step.get("uses", "") for step in jobs["build"]["steps"]]
    assert any(step.startswith("python build.py build --output public") for step in build_steps)
    assert any(step.startswith("actions/upload-pages-artifact") for step in build_steps)
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    schema_check(path, "vendor.github-workflows")


def test_gitlab_pipeline_is_valid_and_publishes_public() -> None:
    path = REPO / "examples/gitlab-ci.yml"
    pipeline = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "python build.py check" in " ".join(pipeline["check"]["script"])
    assert pipeline["check"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert any(line.startswith("python build.py build --output public")
               for line in pipeline["pages"]["script"])
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    schema_check(path, "vendor.gitlab-ci")


def schema_check(path: Path, schema: str) -> None:
    """check-jsonschema ships the GitHub and GitLab schemas: no network needed."""
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent /
                                                   "check-jsonschema")
    if not Path(tool).is_file():
        pytest.fail("check-jsonschema is missing: pip install -e '.[dev]'", pytrace=False)
    result = subprocess.run([tool, "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_example_is_real_output(tmp_path: Path) -> None:
    """Section 9: the decision's list, imported into the fixture site, prints exactly the
    plan shown (and writes nothing: no --write)."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    marker = re.search(r"<!-- import-example:file (\S+) -->", DOC)
    assert marker
    (site / marker.group(1)).write_text(fenced_after(marker.group(0)), encoding="utf-8")
    result = run("import", marker.group(1), cwd=site)
    assert result.returncode == 1  # two rows need attention, as the text explains
    expected = fenced_after("<!-- import-example:output -->").splitlines()
    assert (result.stdout + result.stderr).splitlines() == expected
    assert not (site / "content/producers/ho-ba-mui.md").exists()
