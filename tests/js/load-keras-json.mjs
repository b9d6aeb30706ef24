// load-keras-json.mjs: loads Netsketch's exports with TensorFlow.js (pure JS, no
// tfjs-node) and prints, per model, one JSON line: countParams() and each
// layer's output shape and parameter count.
//
//   node load-keras-json.mjs [--expect SUMMARY.json] [--compare ORIGINAL.json] MODEL.json
//
// MODEL.json is a Keras JSON (tf.models.modelFromJSON) or a tfjs model.json
// whose weights are read from its manifest's .bin (tf.loadLayersModel from
// memory). With --expect, the figures must equal `netsketch-cli summary
// --format json`'s: exit status 1 and the differences on stderr otherwise.
// With --compare, ORIGINAL (a tfjs model.json with weights) and MODEL must
// predict the same for one seeded random input: the weights went to the
// right layers.
// Run `npm ci --ignore-scripts` in tests/js first.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let tf;
try {
  tf = await import('@tensorflow/tfjs');
} catch (error) {
  console.error('load-keras-json: @tensorflow/tfjs is not installed: run `npm ci --ignore-scripts` in tests/js (' +
                error.message + ')');
  process.exit(2);
}

const args = process.argv.slice(2);
let expectPath = null;
let comparePath = null;
while (args.length > 1 && (args[0] === '--expect' || args[0] === '--compare')) {
  if (args[0] === '--expect')
    expectPath = args[1];
  else
    comparePath = args[1];
  args.splice(0, 2);
}
if (args.length !== 1) {
  console.error('usage: node load-keras-json.mjs [--expect SUMMARY.json] [--compare ORIGINAL.json] MODEL.json');
  process.exit(2);
}

await tf.setBackend('cpu');

// A Keras JSON, or a tfjs model.json with its shards read from beside it.
async function load (path) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  if (json.modelTopology !== undefined && json.weightsManifest !== undefined && json.weightsManifest.length > 0) {
    const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
    const buffers = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dirname(path), p))));
    const data = Buffer.concat(buffers);
    const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
    return { model, nWeightValues: data.byteLength / 4 };
  }
  const topology = json.modelTopology !== undefined ? json.modelTopology : json;
  return { model: await tf.models.modelFromJSON({ modelTopology: topology }), nWeightValues: 0 };
}

const path = args[0];
const { model, nWeightValues } = await load(path);

const layers = model.layers.map((layer) => ({
  name: layer.name,
  class_name: layer.getClassName(),
  output_shape: layer.outputShape,
  params: layer.countParams(),
}));
const result = { file: path, count_params: model.countParams(), weight_values: nWeightValues, layers };
console.log(JSON.stringify(result));

if (expectPath !== null) {
  const expected = JSON.parse(readFileSync(expectPath, 'utf8'));
  const problems = [];
  if (result.count_params !== expected.total_params)
    problems.push(`countParams() ${result.count_params}, Netsketch ${expected.total_params}`);
  if (nWeightValues !== 0 && nWeightValues !== expected.total_params)
    problems.push(`${nWeightValues} weight values, Netsketch ${expected.total_params} parameters`);
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  for (const want of expected.layers) {
    const got = byName.get(want.name);
    if (got === undefined) {
      problems.push(`layer ${want.name} is missing`);
      continue;
    }
    if (JSON.stringify(got.output_shape) !== JSON.stringify(want.output_shape))
      problems.push(`${want.name}: output shape ${JSON.stringify(got.output_shape)}, Netsketch ${JSON.stringify(want.output_shape)}`);
    if (got.params !== want.params)
      problems.push(`${want.name}: ${got.params} parameters, Netsketch ${want.params}`);
  }
  if (problems.length > 0) {
    console.error(`${path}: ${problems.join('; ')}`);
    process.exit(1);
  }
}

if (comparePath !== null) {
  const original = (await load(comparePath)).model;
  const inputs = original.inputs.map((input, i) => tf.randomUniform([1, ...input.shape.slice(1)], -1, 1, 'float32', 7 + i));
  const want = original.predict(inputs.length === 1 ? inputs[0] : inputs);
  const got = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  const difference = tf.max(tf.abs(tf.sub(want, got))).dataSync()[0];
  if (!(difference <= 1e-5)) {
    console.error(`${path}: predicts differently from ${comparePath}: largest difference ${difference}`);
    process.exit(1);
  }
}
model.dispose();
