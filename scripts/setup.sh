#!/usr/bin/env bash
# Installs whatever is missing, and nothing twice: the system packages manimpango builds
# against, a virtual environment in .venv, and this project (editable, with its dev extras and
# its voice extra: Piper, the bundled voice model, the loudness meter).
# With --browser (test.sh passes it) also Chromium, for the test that opens the lesson page,
# and poppler-utils (pdftotext, pdftoppm), for the tests that read the handout and the exercise PDFs.
# With --voice (test.sh, and lesson.sh when asked for --voice espeak or recorded:DIR) also
# espeak-ng, the system's speech synthesizer.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=false
voice=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
    --voice) voice=true ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  as_root apt-get update -qq && as_root apt-get install -y -qq python3 >/dev/null
fi
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  { echo "setup: Python >= 3.11 is needed; $("$python" --version) found" >&2; exit 1; }

missing=()
for pkg in pkg-config libcairo2-dev libpango1.0-dev gcc; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
"$python" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
"$python" -c 'import os, sysconfig; os.stat(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null ||
  missing+=(python3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if $browser && ! command -v chromium >/dev/null; then
  echo "setup: installing chromium (for the lesson page test)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if $browser && ! command -v pdftotext >/dev/null; then
  echo "setup: installing poppler-utils (pdftotext, pdftoppm: the tests read the handout and the exercise PDFs)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
fi

if $voice && ! command -v espeak-ng >/dev/null; then
  echo "setup: installing espeak-ng (the offline voice)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends espeak-ng >/dev/null
fi

[ -x .venv/bin/python ] || { echo "setup: creating .venv"; "$python" -m venv .venv; }
stamp=.venv/.installed
extras="dev,voice"
# Installed again when pyproject.toml or the extras change (the stamp holds both).
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $extras"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the project into .venv (a few minutes the first time)"
  # pip, minus the machine-config noise about missing local package folders
  quiet() {
    local status=0 out
    out=$("$@" 2>&1) || status=$?
    printf '%s\n' "$out" | grep -v -e "^WARNING: Location" -e "^$" || true
    return "$status"
  }
  quiet .venv/bin/python -m pip install -q --upgrade pip
  quiet .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$want" > "$stamp"
fi
