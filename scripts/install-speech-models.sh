#!/usr/bin/env bash
# Downloads and unpacks the small Vosk speech models of the languages Guichet offers on the phone, into
# $APP_SPEECH_MODELS_DIR/<model id>/ (the model id is `meta.speechModel` in locales/<tag>.yaml).
# Run once on a machine with internet access, then restart the service (or copy the folder to the server).
#
#   APP_SPEECH_MODELS_DIR=/srv/guichet/speech-models scripts/install-speech-models.sh          # all of them
#   APP_SPEECH_MODELS_DIR=/srv/guichet/speech-models scripts/install-speech-models.sh fr es    # some of them
#
# English needs nothing: the build unpacks it from Maven Central (com.alphacephei:vosk-model-en:0.3.45) into
# target/speech-models/en; copy that folder to $APP_SPEECH_MODELS_DIR/en on a server.
# No model (keypad only): Arabic (ar: the only Arabic model, vosk-model-ar-mgb2-0.4, is 318 MB and has no runtime
# grammars), Pashto (ps) and Bengali (bn). Persian (fa, used for Dari fa-AF) is a Persian model: how well it hears
# Dari speakers is not known.
set -euo pipefail

MODELS_DIR="${APP_SPEECH_MODELS_DIR:-./target/speech-models}"
BASE_URL="${VOSK_MODELS_URL:-https://alphacephei.com/vosk/models}"

# model id → archive name on the Vosk models page (https://alphacephei.com/vosk/models)
declare -A MODELS=(
  [fr]=vosk-model-small-fr-0.22
  [es]=vosk-model-small-es-0.42
  [pt]=vosk-model-small-pt-0.3
  [ru]=vosk-model-small-ru-0.22
  [tr]=vosk-model-small-tr-0.3
  [fa]=vosk-model-small-fa-0.42
  [uk]=vosk-model-small-uk-v3-nano
)

for tool in curl unzip; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }
done

ids=("$@")
if [ ${#ids[@]} -eq 0 ]; then
  ids=(fr es pt ru tr fa uk)
fi

mkdir -p "$MODELS_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for id in "${ids[@]}"; do
  name="${MODELS[$id]:-}"
  if [ -z "$name" ]; then
    echo "No small Vosk model known for '$id' (known: ${!MODELS[*]}); that language stays keypad only" >&2
    continue
  fi
  target="$MODELS_DIR/$id"
  if [ -d "$target/am" ] || [ -f "$target/final.mdl" ]; then
    echo "$id: already installed in $target"
    continue
  fi
  echo "$id: downloading $name"
  curl -fL --retry 3 -o "$work/$name.zip" "$BASE_URL/$name.zip"
  unzip -q "$work/$name.zip" -d "$work/$id"
  # The archive holds one folder named after the model; its content is the model.
  inner="$(find "$work/$id" -mindepth 1 -maxdepth 1 -type d | head -1)"
  if [ -z "$inner" ] || { [ ! -d "$inner/am" ] && [ ! -f "$inner/final.mdl" ]; }; then
    echo "$id: $name.zip does not look like a Vosk model (no am/ or final.mdl)" >&2
    exit 1
  fi
  rm -rf "$target.partial"
  mv "$inner" "$target.partial"
  mv "$target.partial" "$target"
  rm -f "$work/$name.zip"
  echo "$id: installed in $target"
done

echo "Done. Set APP_SPEECH_MODELS_DIR=$MODELS_DIR for the service; models load in the background at start."
