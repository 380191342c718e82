#!/usr/bin/env bash
# Runs the test suite; installs what is missing first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser   # Chromium too, for the lesson page test
exec .venv/bin/python -m pytest "$@"
