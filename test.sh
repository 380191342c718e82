#!/usr/bin/env bash
# Runs the test suite; installs what is missing first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser --voice   # Chromium and espeak-ng too, for the page and voice tests
exec .venv/bin/python -m pytest "$@"
