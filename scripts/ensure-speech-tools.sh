#!/usr/bin/env bash
# The diarization tests speak a two-voice dialogue with espeak-ng and join it with sox (both
# Debian packages). Install them once when they are missing.
set -euo pipefail
if command -v espeak-ng >/dev/null && command -v sox >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "espeak-ng or sox is missing: run 'sudo apt-get install -y espeak-ng sox' first." >&2
  exit 1
fi
echo "Installing Debian's espeak-ng and sox for the diarization tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng sox >/dev/null
