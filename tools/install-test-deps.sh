#!/usr/bin/env bash
# System packages the browser and validator tests need, installed by the project itself
# so a clean CI machine needs nothing by hand. Idempotent: skips what is already there.
set -euo pipefail
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# cairosvg (rasterises the QR codes the tests decode) loads the cairo C library
ldconfig -p 2>/dev/null | grep 'libcairo\.so\.2' >/dev/null || need_apt+=(libcairo2)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "install-test-deps: please install: ${need_apt[*]} (needs root)" >&2
  fi
fi
