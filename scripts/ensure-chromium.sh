#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (a test tool's own browser
# download cannot work offline). Install it once when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get install -y chromium' first." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
