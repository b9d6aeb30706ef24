#!/bin/sh
# test-export-cli.sh: `netsketch-cli export`: every format it writes, where the
# files go, and what it refuses. TAP; run by meson with NETSKETCH_CLI and
# NETSKETCH_SOURCE_ROOT.

. "$(dirname "$0")/cli-tap.sh"
model=$root/data/examples/article.netsketch

has () { grep -qF -- "$2" "$1"; }
err_is () { [ "$(cat "$tmp/err")" = "$1" ]; }

echo "1..17"

run export --to keras-json -o "$tmp/k2.json" "$model"
[ $status -eq 0 ] && has "$tmp/k2.json" '"class_name" : "Functional"' && has "$tmp/k2.json" '"keras_version" : "2.13.1"' &&
  has "$tmp/k2.json" '"batch_input_shape" : ['
report $? "keras-json writes the tf.keras 2 layout"

run export --to keras3-json -o "$tmp/k3.json" "$model"
[ $status -eq 0 ] && has "$tmp/k3.json" '"module" : "keras.src.models.functional"' &&
  has "$tmp/k3.json" '"class_name" : "DTypePolicy"' && has "$tmp/k3.json" '"keras_history" : ['
report $? "keras3-json writes the Keras 3 layout"

run export --to keras-json -o - "$model"
[ $status -eq 0 ] && cmp -s "$tmp/out" "$tmp/k2.json"
report $? "-o - writes to standard output"

run export --to tfjs -o "$tmp/web" "$model"
[ $status -eq 0 ] && has "$tmp/web/model.json" '"format" : "layers-model"' && has "$tmp/web/model.json" '"weightsManifest" : ['
report $? "tfjs with a folder writes model.json there"

run export --to tfjs -o "$tmp/net.json" "$model"
[ $status -eq 0 ] && has "$tmp/net.json" '"modelTopology" : {' && [ ! -e "$tmp/net.weights.bin" ]
report $? "tfjs with a .json file writes it (no .bin without weights)"

run export --to pytorch -o "$tmp/net.py" "$model"
[ $status -eq 0 ] && has "$tmp/net.py" 'class Model(nn.Module):' &&
  has "$tmp/net.py" 'self.con1 = nn.Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)' &&
  has "$tmp/net.py" 'mer2 = torch.cat([deconv1, score1], dim=1)'
report $? "pytorch writes an nn.Module with real sizes"

run export --to keras-py -o "$tmp/keras_net.py" "$model"
[ $status -eq 0 ] && has "$tmp/keras_net.py" 'input_1 = keras.Input(shape=[128, 128, 3], name="input_1")' &&
  has "$tmp/keras_net.py" 'model = keras.Model(inputs=[input_1], outputs=[mer2], name="model")'
report $? "keras-py writes the functional API"

run export --to netsketch -o "$tmp/copy.netsketch" "$model"
[ $status -eq 0 ] && "$cli" summary "$tmp/copy.netsketch" | grep -qF "Total params: 87,957"
report $? "netsketch writes a document that loads again"

run export --to summary-json -o - "$model"
[ $status -eq 0 ] && has "$tmp/out" '"total_params" : 87957'
report $? "summary-json writes the summary"

run export --to markdown -o "$tmp/net.md" "$model"
[ $status -eq 0 ] && has "$tmp/net.md" '| con1 |'
report $? "markdown writes the summary table"

run export --to png --scale 2 -o "$tmp/net.png" "$model"
[ $status -eq 0 ] && [ "$(head -c 8 "$tmp/net.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
report $? "png writes the diagram as a PNG image"

run export --to svg -o "$tmp/net.svg" "$model"
[ $status -eq 0 ] && has "$tmp/net.svg" '<svg'
report $? "svg writes the diagram as SVG"

# A PNG's width and height, from its IHDR chunk.
png_size () { od -An -tu1 -j16 -N8 "$1" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }'; }

run export --to summary-png -o "$tmp/sum.png" "$model"
[ $status -eq 0 ] && [ ! -s "$tmp/err" ] &&
  [ "$(head -c 8 "$tmp/sum.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
  run export --to summary-png --scale 2 -o "$tmp/sum2.png" "$model" && [ $status -eq 0 ] &&
  w1=$(png_size "$tmp/sum.png") && w2=$(png_size "$tmp/sum2.png") &&
  [ "$w2" = "$((${w1%x*} * 2))x$((${w1#*x} * 2))" ]
report $? "summary-png writes the summary table as a PNG; --scale 2 doubles it"

run export --to png --scale 100 -o "$tmp/big.png" "$model"
[ $status -eq 1 ] && err_is "netsketch-cli: --scale must be from 0.25 to 8, not 100" && [ ! -e "$tmp/big.png" ]
report $? "an absurd scale is refused"

run export --to onnx -o "$tmp/net.onnx" "$model"
[ $status -eq 1 ] && has "$tmp/err" 'unknown export format “onnx”'
report $? "an unknown format is refused"

run export --to keras-json "$model"
[ $status -eq 1 ] && err_is "netsketch-cli: export needs -o OUT; see “netsketch-cli help export”"
report $? "export without -o is refused"

# A kernel larger than the input: con1 is in error, the rest waits on it.
sed -e '0,/"kernel_size": \[3, 3\]/s//"kernel_size": [300, 3]/' \
    -e '0,/"padding": "same"/s//"padding": "valid"/' "$model" >"$tmp/broken.netsketch"
run export --to keras-json -o "$tmp/broken.json" "$tmp/broken.netsketch"
[ $status -eq 1 ] && has "$tmp/err" "netsketch-cli: $tmp/broken.netsketch: cannot export: layer con1: " &&
  [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/broken.json" ]
report $? "a model with a layer in error is refused, naming the layer"

exit $failed
