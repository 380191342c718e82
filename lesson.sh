#!/usr/bin/env bash
# Renders the whole lesson with the shipped config (or $BACKPROP_CONFIG) into media/lesson/:
# clips, subtitles, posters, values.json and index.html. Installs what is missing first.
# Extra arguments go to `backprop lesson` (e.g. --quality high, --only NeuronChain, --format webm,
# --voice none for a silent lesson). The lesson is spoken by the bundled Piper voice by default.
set -euo pipefail
cd "$(dirname "$0")"
case " $* " in
  *" --voice espeak "*|*" --voice=espeak "*|*" --voice recorded:"*|*" --voice=recorded:"*) scripts/setup.sh --voice ;;
  *) scripts/setup.sh ;;
esac
exec .venv/bin/backprop lesson "$@"
