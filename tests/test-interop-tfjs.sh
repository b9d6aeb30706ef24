#!/usr/bin/env bash
# test-interop-tfjs.sh: Netsketch's tf.keras 2 JSON and TensorFlow.js exports,
# loaded by TensorFlow.js itself (tests/js: npm @tensorflow/tfjs, pure JS):
# countParams() and every layer's output shape and parameters must equal
# `netsketch-cli summary --format json`. TAP. Fails (does not skip) when node
# or the npm packages are missing: run `npm ci --ignore-scripts` in tests/js.
set -uo pipefail

cli=${NETSKETCH_CLI:?NETSKETCH_CLI is not set}
root=${NETSKETCH_SOURCE_ROOT:?NETSKETCH_SOURCE_ROOT is not set}
js=$root/tests/js
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v node >/dev/null; then
  echo "1..1"
  echo "not ok 1 node is not installed (tools/install-deps installs nodejs and npm)"
  exit 1
fi
if [ ! -d "$js/node_modules/@tensorflow/tfjs" ]; then
  echo "1..1"
  echo "not ok 1 @tensorflow/tfjs is missing: run 'npm ci --ignore-scripts' in tests/js"
  exit 1
fi

# Models: the examples, and the Keras fixtures other than the one-layer grid
# (each node start costs a second) once the importer reads them.
models=("$root"/data/examples/*.netsketch)
for f in "$root"/tests/fixtures/keras/*/keras.json; do
  case $f in */grid_*) continue ;; esac
  [ -f "$f" ] && models+=("$f")
done
for f in "$root"/tests/fixtures/keras/*/tfjs/model.json; do
  case $f in */grid_*) continue ;; esac
  [ -f "$f" ] && models+=("$f")
done

n=0
failed=0
plan=$(( ${#models[@]} * 2 ))
echo "1..$plan"

check () {
  local description=$1
  shift
  n=$((n + 1))
  if output=$("$@" 2>&1); then
    echo "ok $n $description"
  else
    echo "not ok $n $description"
    printf '%s\n' "$output" | grep -v '^{' | sed 's/^/# /'
    failed=1
  fi
}

for model in "${models[@]}"; do
  name=${model#"$root"/}
  name=${name//\//_}
  summary=$work/$name.summary.json
  if ! "$cli" summary --format json "$model" >"$summary" 2>"$work/err"; then
    if grep -q "cannot read" "$work/err"; then
      n=$((n + 2))
      echo "ok $((n - 1)) $name # SKIP the importer cannot read it yet"
      echo "ok $n $name tfjs # SKIP the importer cannot read it yet"
      continue
    fi
  fi
  check "$name: tf.keras 2 JSON loads in tf.models.modelFromJSON with the same figures" \
    bash -c '"$1" export --to keras-json -o "$2" "$3" && node "$4/load-keras-json.mjs" --expect "$5" "$2"' \
    _ "$cli" "$work/$name.keras.json" "$model" "$js" "$summary"
  # A tfjs model with weights must predict what the original predicts.
  compare=()
  case $model in */tfjs/model.json) compare=(--compare "$model") ;; esac
  check "$name: TensorFlow.js layers model loads with tf.loadLayersModel${compare:+ and predicts as the original}" \
    bash -c '"$1" export --to tfjs -o "$2" "$3" && node "$4/load-keras-json.mjs" --expect "$5" "${@:7}" "$2/model.json"' \
    _ "$cli" "$work/$name.tfjs" "$model" "$js" "$summary" _ "${compare[@]}"
done
exit $failed
