#!/usr/bin/env bash
# Installs what the browser journeys (tests/browser.rs) need: Debian's chromium and chromium-driver
# (no browser download), and axe-core from npm into tests/e2e/node_modules (pinned by its lockfile).
# Does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need+=(chromium-driver)
if ((${#need[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
        || { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi
if [[ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]]; then
    command -v npm >/dev/null || { echo "npm is missing: install Node.js (Debian's nodejs and npm) for the accessibility checks" >&2; exit 1; }
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error >/dev/null
fi
echo "browser ready: $(/usr/bin/chromium --version 2>/dev/null), axe-core $(node -p 'require("./tests/e2e/node_modules/axe-core/package.json").version')" >&2
