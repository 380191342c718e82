#!/usr/bin/env bash
# Renders the lesson with the shipped config (or $BACKPROP_CONFIG); installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/python - "$@" <<'PY'
import subprocess, sys
import scenes
for name, module in scenes.LESSON.items():
    path = module.replace(".", "/") + ".py"
    subprocess.run([".venv/bin/manim", "render", "-qm", *sys.argv[1:], path, name], check=True)
PY
