#!/bin/sh
# test-cli.sh: netsketch-cli's contract (DESIGN.md): summary in three formats, help, version, failures.
# Run by meson with NETSKETCH_CLI (the built binary) and NETSKETCH_SOURCE_ROOT; prints TAP.

. "$(dirname "$0")/cli-tap.sh"
model=$root/data/examples/article.netsketch
fixtures=$root/tests/fixtures/summary

out_has () { grep -qF -- "$1" "$tmp/out"; }
err_has () { grep -qF -- "$1" "$tmp/err"; }
err_is_one_line () { [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ]; }
# A failure: exit 1, nothing on stdout, one line on stderr that starts with the program's name.
failed_cleanly () { [ "$status" -eq 1 ] && err_is_one_line && err_has "netsketch-cli: "; }

echo "1..20"

run --help
[ "$status" -eq 0 ] && out_has "summary" && out_has "--version" && [ ! -s "$tmp/err" ]
report $? "--help lists the commands and exits 0"

run --version
[ "$status" -eq 0 ] && grep -qE '^netsketch-cli [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
report $? "--version prints the version and exits 0"

run help
[ "$status" -eq 0 ] && out_has "summary" && out_has "Usage:"
report $? "help without a command prints the general help"

run help summary
[ "$status" -eq 0 ] && out_has "netsketch-cli summary [OPTION" && out_has "MODEL" && out_has "--format"
report $? "help summary describes the summary command"

run summary --help
[ "$status" -eq 0 ] && out_has "netsketch-cli summary [OPTION" && out_has "--format"
report $? "summary --help describes the summary command"

run summary "$model"
[ "$status" -eq 0 ] && [ ! -s "$tmp/err" ] &&
  out_has "Total params: 87,957" && out_has "Trainable params: 87,829" &&
  out_has "Non-trainable params: 128" && out_has "Total MACs: 1,434,451,968 (1.43 G)" &&
  out_has "mer2 (Concatenate)" && out_has "(None, 128, 128, 85)"
report $? "summary of the article prints Keras' totals"

# The example is the article's network under the name "model": the same table as the core test's.
grep -v '^Model: ' "$tmp/out" >"$tmp/table" && grep -v '^Model: ' "$fixtures/article.txt" >"$tmp/expected" &&
  cmp -s "$tmp/table" "$tmp/expected"
report $? "summary of the article equals tests/fixtures/summary/article.txt"

run summary --format json "$model"
[ "$status" -eq 0 ] && python3 - "$tmp/out" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    s = json.load(f)
assert s["total_params"] == 87957, s["total_params"]
assert s["trainable_params"] == 87829
assert s["non_trainable_params"] == 128
assert s["total_macs"] == 1434451968
keys = ["name", "type", "output_shape", "params", "trainable_params",
        "non_trainable_params", "macs", "inputs"]
layers = {l["name"]: l for l in s["layers"]}
for l in s["layers"]:
    assert list(l.keys()) == keys, list(l.keys())
assert layers["mer2"]["output_shape"] == [None, 128, 128, 85]
assert layers["mer2"]["inputs"] == ["deconv1", "score1"]
assert layers["con1"]["params"] == 1792
assert layers["deconv1"]["params"] == 73792
assert layers["score1"]["params"] == 12117
bn = [l for l in s["layers"] if l["type"] == "BatchNormalization"][0]
assert (bn["params"], bn["trainable_params"], bn["non_trainable_params"]) == (256, 128, 128)
EOF
report $? "summary --format json follows the contract with the article's numbers"

run summary --format=markdown "$model"
[ "$status" -eq 0 ] && out_has "| mer2 | Concatenate | (None, 128, 128, 85) | 0 | 0 | deconv1, score1 |" &&
  out_has "- Total params: 87,957" && out_has "| Layer | Type | Output shape | Params | MACs | Connected to |"
report $? "summary --format=markdown prints a table and the totals"

run summary "$tmp/missing.netsketch"
failed_cleanly && err_has "missing.netsketch"
report $? "a missing file fails with one line naming it"

printf '{\n  "format": "netsketch",\n  "version": 1,\n  "layers": [ ,\n' >"$tmp/broken.netsketch"
run summary "$tmp/broken.netsketch"
failed_cleanly && grep -qE 'broken\.netsketch:[0-9]+:[0-9]+' "$tmp/err"
report $? "a syntax error fails with the file's line and column"

printf '{"hello": "world"}\n' >"$tmp/other.json"
run summary "$tmp/other.json"
failed_cleanly && err_has "other.json: not a Netsketch, Keras or TensorFlow.js model"
report $? "JSON that is no model is refused"

printf '\211PNG\r\n\032\n' >"$tmp/picture.png"
run summary "$tmp/picture.png"
failed_cleanly && err_has "picture.png: not a Netsketch, Keras or TensorFlow.js model"
report $? "a file that is not JSON at all is refused"

printf '{"class_name": "Functional", "config": {"layers": []}}\n' >"$tmp/keras.json"
run summary "$tmp/keras.json"
failed_cleanly && err_has "keras.json" && err_has "Keras"
report $? "a Keras file is recognised and refused clearly"

printf '{"modelTopology": {}, "weightsManifest": []}\n' >"$tmp/model.json"
run summary "$tmp/model.json"
failed_cleanly && err_has "model.json" && err_has "TensorFlow.js"
report $? "a TensorFlow.js model.json is recognised and refused clearly"

run summary --format yaml "$model"
failed_cleanly && err_has "yaml"
report $? "an unknown --format fails"

run frobnicate "$model"
failed_cleanly && err_has "frobnicate" && err_has "summary"
report $? "an unknown command fails, listing the known ones"

run
failed_cleanly && err_has "summary"
report $? "no command fails, listing the known ones"

run summary --frobnicate "$model"
failed_cleanly && err_has "frobnicate"
report $? "an unknown option fails"

run summary
failed_cleanly && err_has "MODEL"
report $? "summary without a model fails"

exit $failed
