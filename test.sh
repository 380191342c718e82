#!/usr/bin/env bash
# Runs the test suite; installs what is missing first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --browser --voice   # Chromium and espeak-ng too, for the page and voice tests
# Every core runs tests (pytest-xdist); then the tests marked "alone" run by themselves: those
# that read a real browser's frames after a seek, which a loaded machine can catch early.
# pytest exits 5 when a selection (e.g. -k) leaves a phase no test: that is no failure.
run() { .venv/bin/python -m pytest "$@" || { status=$?; [ "$status" -eq 5 ] || return "$status"; }; }
run -n auto -m "not alone" "$@"
run -m alone "$@"
