#!/bin/sh
# test-run-cli.sh: `netsketch-cli run` and `bench` (DESIGN.md's contract): what
# they write and print, and the one line each bad input gets. TAP; run by meson
# with NETSKETCH_CLI and NETSKETCH_SOURCE_ROOT.

. "$(dirname "$0")/cli-tap.sh"
seed=$root/tests/fixtures/keras/seed
model=$seed/tfjs/model.json
npy=$root/tests/fixtures/npy

err_is () { [ "$(cat "$tmp/err")" = "$1" ]; }
# A failure: exit 1, nothing on stdout, exactly the one line given on stderr.
fails_with () { [ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] && err_is "$1"; }
# The shape in a .npy file's header, as NumPy prints it.
npy_shape () { head -c 128 "$1" | LC_ALL=C sed -n "s/.*'shape': \(([0-9, ]*)\).*/\1/p"; }

echo "1..16"

run help run
[ "$status" -eq 0 ] && grep -qF "netsketch-cli run [OPTION" "$tmp/out" && grep -qF -- "--input" "$tmp/out" &&
  grep -qF -- "--layer" "$tmp/out" && grep -qF -- "--output" "$tmp/out" && grep -qF -- "--seed" "$tmp/out"
report $? "help run describes the run command"

run --help
[ "$status" -eq 0 ] && grep -qE '^  run +Run a model' "$tmp/out" && grep -qE '^  bench +Time a model' "$tmp/out"
report $? "--help lists run and bench"

run run --input "$seed/input.npy" --output "$tmp/y.npy" "$model"
[ "$status" -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] &&
  [ "$(npy_shape "$tmp/y.npy")" = "(1, 128, 128, 85)" ] && [ "$(wc -c <"$tmp/y.npy")" -eq $((128 + 128 * 128 * 85 * 4)) ]
report $? "run writes the model's output as a .npy of its shape"

run run --seed 7 --output "$tmp/a.npy" "$root/data/examples/article.netsketch" &&
  cp "$tmp/a.npy" "$tmp/a1.npy" && run run --seed 7 --output "$tmp/a.npy" "$root/data/examples/article.netsketch"
[ "$status" -eq 0 ] && cmp -s "$tmp/a.npy" "$tmp/a1.npy" && [ "$(npy_shape "$tmp/a.npy")" = "(1, 128, 128, 85)" ] &&
  run run --seed 8 --output "$tmp/b.npy" "$root/data/examples/article.netsketch" && ! cmp -s "$tmp/a.npy" "$tmp/b.npy"
report $? "without --input, seeded noise and seeded weights: the same seed gives the same bytes"

run run --layer pool1 --output "$tmp/pool1.npy" "$model"
[ "$status" -eq 0 ] && [ "$(npy_shape "$tmp/pool1.npy")" = "(1, 64, 64, 64)" ]
report $? "--layer writes that layer's activation"

run run --input "$npy/f8.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $npy/f8.npy holds float64 ('<f8'); Netsketch reads float32 ('<f4')" && [ ! -e "$tmp/z.npy" ]
report $? "a float64 input is refused, naming the file and the dtype"

run run --input "$npy/fortran.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $npy/fortran.npy is stored in Fortran order; Netsketch reads C order (save numpy.ascontiguousarray of the array)"
report $? "a Fortran-order input is refused"

run run --input "$root/tests/fixtures/keras/unet/input.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $root/tests/fixtures/keras/unet/input.npy has shape (1, 64, 64, 1); the Input layer 'input_1' takes (batch, 128, 128, 3)"
report $? "an input of the wrong shape is refused in one line"

run run --input "$npy/f4-2x3.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $npy/f4-2x3.npy has shape (2, 3); the Input layer 'input_1' takes (batch, 128, 128, 3)"
report $? "an input of the wrong rank is refused in one line"

run run --input "$tmp/missing.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $tmp/missing.npy: no such file"
report $? "a missing input file is refused"

head -c 1000 "$seed/input.npy" >"$tmp/cut.npy"
run run --input "$tmp/cut.npy" --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $tmp/cut.npy is truncated: its shape (1, 128, 128, 3) needs 196608 bytes of data, the file has 872"
report $? "a truncated input is refused with the byte counts"

run run --layer nope --output "$tmp/z.npy" "$model"
fails_with "netsketch-cli: $model: no layer named “nope”"
report $? "an unknown --layer is refused"

run run --input "$seed/input.npy" "$model"
fails_with "netsketch-cli: run needs --output Y.npy; see “netsketch-cli help run”"
report $? "run without --output is refused"

run bench --runs 3 "$model"
[ "$status" -eq 0 ] && [ ! -s "$tmp/err" ] &&
  tail -n 1 "$tmp/out" | grep -qE '^forward median: [0-9]+\.[0-9]{3} ms \(batch 1\)$' &&
  head -n 1 "$tmp/out" | grep -qE '^Layer +Type +Median ms +Share$' &&
  grep -qE '^con1 +Conv2D +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]%$' "$tmp/out" &&
  [ "$(grep -cE '%$' "$tmp/out")" -eq 9 ] && ! grep -q '^input_1 ' "$tmp/out" && grep -qE '^Peak memory: ' "$tmp/out"
report $? "bench prints a row per layer that computes, the peak memory, and last the forward median"

run bench --runs 1 --batch 2 "$root/tests/fixtures/keras/unet/tfjs/model.json"
[ "$status" -eq 0 ] && tail -n 1 "$tmp/out" | grep -qE '^forward median: [0-9]+\.[0-9]{3} ms \(batch 2\)$'
report $? "bench --batch says the batch on its last line"

run bench --runs 0 "$model"
fails_with "netsketch-cli: --runs must be at least 1, not 0"
report $? "bench --runs 0 is refused"

exit $failed
