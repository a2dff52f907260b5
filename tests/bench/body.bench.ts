/**
 * Body model speed: WASM vs the plain f64 TS twin, for an SMPL-sized random model
 * (V=6890, J=24, B=10, P=207, 4 skinning weights per vertex), plus WASM-only rows for an SMPL-X-sized
 * one. Prints ms per call: median (fastest run). Never asserts.
 */
import os from 'node:os';
import { createBodyModel } from '../../src/body/body-model.js';
import { randomBodyData, randomPose, randomVector } from '../helpers/random-body.js';
import { twinBackward, twinForward } from '../body/twin.js';

interface Timing {
  median: number;
  /** The fastest run: less sensitive to other processes on a busy machine. */
  best: number;
}

function time(runs: number, fn: () => unknown): Timing {
  for (let i = 0; i < Math.min(5, runs); i++) fn(); // warm-up (JIT, caches)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! };
}

const V = 6890, J = 24, B = 10;
const data = randomBodyData({ numVertices: V, numJoints: J, numBetas: B, seed: 1 });
const t0 = performance.now();
const model = await createBodyModel(data);
const createMs = performance.now() - t0;
const params = { pose: Float32Array.from(randomPose(J, 2)), betas: Float32Array.from(randomVector(B, 3)), trans: new Float32Array([0.1, 0.2, 0.3]) };
const gV = Float32Array.from(randomVector(V * 3, 4));
const gT = Float32Array.from(randomVector(J * 16, 5));

const rows: [string, Timing, Timing | undefined][] = [
  ['forward (vertices, joints, transforms)', time(300, () => model.forward(params)), time(7, () => twinForward(data, params))],
  ['forwardTransforms (joints, transforms only)', time(1000, () => model.forwardTransforms(params)), undefined],
  ['backward (∂ vertices)', time(300, () => model.backward(params, gV)), time(5, () => twinBackward(data, params, 'vertices', gV))],
  ['backwardTransforms (∂ transforms)', time(1000, () => model.backwardTransforms(params, gT)), time(5, () => twinBackward(data, params, 'transforms', gT))],
  ['createBodyModel (one-off)', { median: createMs, best: createMs }, undefined],
];

// SMPL-X-sized: V=10475, J=55, P=486 (posedirs 61 MB). With hands, jaw and eyes at rest (joints
// 22…54) the pose blend reads only the features of joints 1…21.
const X = { V: 10475, J: 55 };
const dataX = randomBodyData({ numVertices: X.V, numJoints: X.J, numBetas: B, seed: 6 });
const modelX = await createBodyModel(dataX);
const poseX = randomPose(X.J, 7);
const bodyOnly = Float32Array.from(poseX, (x, i) => (i < 22 * 3 ? x : 0));
rows.push(
  [`SMPL-X size forward, all ${X.J} joints posed`, time(100, () => modelX.forward({ pose: poseX })), undefined],
  ['SMPL-X size forward, hands/jaw/eyes at rest', time(100, () => modelX.forward({ pose: bodyOnly })), undefined],
  ['SMPL-X size backward', time(50, () => modelX.backward({ pose: poseX }, new Float32Array(X.V * 3).fill(1))), undefined],
);
modelX.dispose();

console.log(`\nbody model — node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.platform()} ${os.arch()})`);
console.log(`V=${V} J=${J} B=${B} P=${9 * (J - 1)}, 4 weights/vertex; ms per call`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (fastest run in brackets)\n`);
console.log('| call | WASM ms | TS twin (f64) ms | speed-up |');
console.log('|---|---:|---:|---:|');
const fmt = (t: Timing, digits: number) => `${t.median.toFixed(digits)} (${t.best.toFixed(digits)})`;
for (const [name, wasm, twin] of rows) {
  const speedUp = twin === undefined ? '—' : `${(twin.median / wasm.median).toFixed(0)}×`;
  console.log(`| ${name} | ${fmt(wasm, 3)} | ${twin === undefined ? '—' : fmt(twin, 1)} | ${speedUp} |`);
}
model.dispose();
