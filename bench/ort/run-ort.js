// run-ort.js: ONNX Runtime's side of bench-forward.sh: the article's network
// (seed.onnx, NCHW with a dynamic batch) on the CPU with 2 intra-op threads.
// Usage: [SESSIONS=N] node run-ort.js MODEL.onnx RUNS BATCH…
// Prints one line per batch: "ort batch B: X ms (sessions: …)", X the best
// of the sessions' medians of RUNS passes after one warm-up pass.
'use strict';

const ort = require('onnxruntime-node');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Uniform noise in [0, 1), the same on every run: xorshift32, so that the
// numbers do not depend on Math.random.
function noise(count) {
  const data = new Float32Array(count);
  let state = 2463534242;
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = (state >>> 0) / 4294967296;
  }
  return data;
}

// A session's speed on this VM is bimodal (about 16 or 33 ms a pass for the
// same model, fixed for the session's life, whatever the input): each batch
// is timed in SESSIONS fresh sessions and the best median is reported, the
// others after it.
async function timeSession(model, batch, runs) {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const name = session.inputNames[0];
  const dims = session.inputMetadata[0].shape;
  // A symbolic first axis ("batch") takes any batch; a fixed one only its own.
  if (typeof dims[0] === 'number' && dims[0] !== batch) {
    await session.release();
    return null;
  }
  const shape = [batch, ...dims.slice(1)];
  const count = shape.reduce((a, b) => a * b, 1);
  const feeds = { [name]: new ort.Tensor('float32', noise(count), shape) };
  const times = [];

  await session.run(feeds);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await session.release();
  return median(times);
}

async function main() {
  const [model, runsArg, ...batchArgs] = process.argv.slice(2);
  const runs = Number.parseInt(runsArg, 10);
  const sessions = Number.parseInt(process.env.SESSIONS || '3', 10);
  if (!model || !(runs >= 1) || !(sessions >= 1) || batchArgs.length === 0) {
    console.error('usage: [SESSIONS=N] node run-ort.js MODEL.onnx RUNS BATCH…');
    process.exit(1);
  }

  for (const batchArg of batchArgs) {
    const batch = Number.parseInt(batchArg, 10);
    const medians = [];

    for (let i = 0; i < sessions; i++) {
      const time = await timeSession(model, batch, runs);
      if (time === null) {
        break;
      }
      medians.push(time);
    }
    if (medians.length === 0) {
      console.log(`ort batch ${batch}: n/a (the model's batch is fixed)`);
      continue;
    }
    const best = Math.min(...medians);
    console.log(`ort batch ${batch}: ${best.toFixed(3)} ms (sessions: ${medians.map((t) => t.toFixed(1)).join(', ')})`);
  }
}

main().catch((error) => {
  console.error(`run-ort.js: ${error.message}`);
  process.exit(1);
});
