"""Refresh ocop_site/cms/vendor/ from node_modules: the web form's browser files.

    npm ci --ignore-scripts     # or tools/install-test-deps.sh; package-lock.json pins them
    python tools/vendor_cms.py  # copy, then write vendor/VENDORED.json

To move to a new Decap CMS: `npm install --ignore-scripts --save-exact decap-cms@<v>`,
run this, rebuild a site with `serve`, try the form, commit vendor/ with the lock file.
Only the npm packages' own files are copied, byte for byte (tests/cms/test_vendored.py).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ocop_site.cms.vendored import FILES, MANIFEST, VENDOR_DIR  # noqa: E402

NOTICE = """{package} {version}, from npm (https://www.npmjs.com/package/{package}),
licence: {licence} (its package.json); source: {repository}.
Vendored unchanged by tools/vendor_cms.py; see VENDORED.json for the sha256 of each file.
"""


def package_info(name: str) -> dict:
    return json.loads((REPO / "node_modules" / name / "package.json").read_text("utf-8"))


def main() -> int:
    entries: dict[str, dict[str, object]] = {}
    notices: dict[str, str] = {}
    for item in FILES:
        source = REPO / "node_modules" / item.package / item.source
        if not source.is_file():
            print(f"{source} is missing: run `npm ci --ignore-scripts` first", file=sys.stderr)
            return 1
        info = package_info(item.package)
        data = source.read_bytes()
        shutil.copyfile(source, VENDOR_DIR / item.name)
        entries[item.name] = {
            "package": item.package, "version": info["version"], "source": item.source,
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
            "licence": info.get("license", "")}
        if item.licence_file:
            shutil.copyfile(REPO / "node_modules" / item.package / item.licence_file,
                            VENDOR_DIR / f"{item.package}.LICENSE")
        repository = info.get("repository", "")
        repository = repository.get("url", "") if isinstance(repository, dict) else repository
        notices[item.package] = NOTICE.format(
            package=item.package, version=info["version"], licence=info.get("license", ""),
            repository=repository)
    for package, text in notices.items():
        (VENDOR_DIR / f"{package}.NOTICE").write_text(text, encoding="utf-8")
    MANIFEST.write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for name, entry in sorted(entries.items()):
        print(f"{name}: {entry['package']} {entry['version']}, {entry['bytes']:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
