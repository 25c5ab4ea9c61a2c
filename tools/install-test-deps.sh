#!/usr/bin/env bash
# System packages the browser and validator tests need, installed by the project itself
# so a clean CI machine needs nothing by hand. Idempotent: skips what is already there.
set -euo pipefail
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# cairosvg (rasterises the QR codes the tests decode) loads the cairo C library
ldconfig -p 2>/dev/null | grep 'libcairo\.so\.2' >/dev/null || need_apt+=(libcairo2)
# quality gates (tests/quality): fonts for the screenshots and contrast checks, Java for
# the Nu Html Checker (vnu.jar), Node for axe-core and Lighthouse
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if ! command -v node >/dev/null 2>&1; then need_apt+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then need_apt+=(npm); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "install-test-deps: please install: ${need_apt[*]} (needs root)" >&2
  fi
fi

# npm tools of the quality gates, exactly as package-lock.json pins them; reinstalled only
# when the lock file changes. --ignore-scripts: without a system Java, vnu-jar's postinstall
# would fetch one from GitHub (Debian's is installed above); no browser is ever downloaded
# either (Debian's chromium is used)
cd "$(dirname "$0")/.."
if command -v npm >/dev/null 2>&1; then
  stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -e "$stamp" ]; then
    PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
      npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
else
  echo "install-test-deps: npm is missing; the quality tests need it (needs root)" >&2
fi
