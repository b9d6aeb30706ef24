#!/bin/sh
# bench-forward.sh: the article's network (tests/fixtures/keras/seed, 1.434 G
# MACs a sample) forward on the CPU in Netsketch, ONNX Runtime and PyTorch,
# batch 1 and 8, with the ratios; then VGG16 at 224×224 in Netsketch with its
# peak memory. See BENCHMARKS.md.
#
# Usage: bench/bench-forward.sh [BUILD_DIR]     (default: build)
#   RUNS=N          timed passes after one warm-up (default 20; PyTorch: TORCH_RUNS,
#                   default 5; VGG16: VGG_RUNS, default 3)
#   ROUNDS=N        how often the three are run in turn (default 3): the best
#                   median of the rounds is compared, the range shown
#   ONNX=FILE       the article's network as ONNX (default: the fixture's seed.onnx)
# Needs: the built netsketch-cli; node and npm (onnxruntime-node is installed
# into bench/ort from its lock file on the first run, --ignore-scripts: its
# install script would fetch CUDA files); /usr/bin/python3 with torch
# (Debian's python3-torch; tools/install-deps installs both).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
cli=$build/src/cli/netsketch-cli
runs=${RUNS:-20}
torch_runs=${TORCH_RUNS:-5}
rounds=${ROUNDS:-3}
vgg_runs=${VGG_RUNS:-3}
seed=$root/tests/fixtures/keras/seed
onnx=${ONNX:-$seed/seed.onnx}
[ -f "$onnx" ] || onnx=$root/../shared/fixtures/keras/seed/seed.onnx

fail () { echo "bench-forward.sh: $*" >&2; exit 1; }
[ -x "$cli" ] || fail "no netsketch-cli in $build (meson compile -C $build)"
[ -f "$onnx" ] || fail "no seed.onnx (set ONNX=FILE)"
if [ ! -d "$root/bench/ort/node_modules/onnxruntime-node" ]; then
  (cd "$root/bench/ort" && npm ci --ignore-scripts --no-audit --no-fund) >&2 ||
    fail "could not install onnxruntime-node into bench/ort"
fi
/usr/bin/python3 -c 'import torch' 2>/dev/null || fail "/usr/bin/python3 has no torch (apt install python3-torch)"

# The number in "forward median: X ms (batch B)", "ort batch B: X ms", …
ms () { sed -n "s/^$1: \([0-9.]*\) ms.*/\1/p"; }
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The lowest of a file of figures, and "lowest–highest".
best () { sort -g "$1" | head -n 1; }
range () { echo "$(sort -g "$1" | head -n 1)–$(sort -g "$1" | tail -n 1)"; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "Article network (seed), CPU; each figure the median of $runs passes after a warm-up"
echo "(PyTorch: $torch_runs passes), best and range over $rounds rounds"
# The TensorFlow.js model carries the same weights as seed.onnx. Rounds
# alternate the three so that a busy moment on the machine hits them alike.
for round in $(seq "$rounds"); do
  for batch in 1 8; do
    "$cli" bench --runs "$runs" --batch "$batch" "$seed/tfjs/model.json" >"$out/ns$batch"
    tail -n 1 "$out/ns$batch" | ms "forward median" >>"$out/ns$batch.all"
  done
  node "$root/bench/ort/run-ort.js" "$onnx" "$runs" 1 8 >"$out/ort"
  /usr/bin/python3 "$root/bench/torch_seed.py" "$cli" "$seed/keras.json" "$torch_runs" 1 8 >"$out/torch"
  for batch in 1 8; do
    ms "ort batch $batch" <"$out/ort" >>"$out/ort$batch.all"
    ms "torch batch $batch" <"$out/torch" >>"$out/torch$batch.all"
  done
done

printf '%-28s %22s %22s\n' "median ms (best, range)" "batch 1" "batch 8"
for tool in ns:Netsketch "ort:ONNX Runtime (2 threads)" "torch:PyTorch (2 threads)"; do
  printf '%-28s %22s %22s\n' "${tool#*:}" "$(best "$out/${tool%%:*}1.all") ($(range "$out/${tool%%:*}1.all"))" \
    "$(best "$out/${tool%%:*}8.all") ($(range "$out/${tool%%:*}8.all"))"
done
for other in "ort:ONNX Runtime" "torch:PyTorch"; do
  printf '%-28s %22s %22s\n' "Netsketch / ${other#*:}" \
    "$(ratio "$(best "$out/ns1.all")" "$(best "$out/${other%%:*}1.all")")" \
    "$(ratio "$(best "$out/ns8.all")" "$(best "$out/${other%%:*}8.all")")"
done
echo "Netsketch memory, batch 1: $(grep '^Peak memory:' "$out/ns1")"
echo "Netsketch memory, batch 8: $(grep '^Peak memory:' "$out/ns8")"

echo
echo "VGG16, 224×224×3, seeded weights (138,357,544 parameters), $vgg_runs runs after a warm-up"
/usr/bin/time -f 'max RSS %M KiB' -o "$out/time" \
  "$cli" bench --runs "$vgg_runs" --batch 1 "$root/tests/fixtures/keras/vgg16/keras.json" >"$out/vgg"
echo "Netsketch $(tail -n 1 "$out/vgg")"
grep '^Peak memory:' "$out/vgg"
echo "process $(cat "$out/time")"
