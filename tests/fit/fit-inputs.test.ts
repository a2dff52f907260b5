// fitBodyToKeypoints: bad input is refused with a typed error naming the field; AbortSignal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBodyData } from '../../src/body/default-body.js';
import { createBodyModel } from '../../src/body/body-model.js';
import { AbortError, AvatarInputError } from '../../src/errors.js';
import { fitBodyToKeypoints } from '../../src/fit/fit-body.js';
import { landmarkMapFor } from '../../src/fit/joint-map.js';
import type { KeypointSequence } from '../../src/fit/types.js';
import { loadBodyWasm } from '../../src/body/wasm.js';
import { randomBodyData } from '../helpers/random-body.js';
import { syntheticClip } from './synthetic-keypoints.js';

const data = defaultBodyData();
const clip = syntheticClip(data, landmarkMapFor({ numVertices: data.vTemplate.length / 3, numJoints: 24 }), {
  motion: 'idle', frames: 3, width: 640, height: 480, fovYDegrees: 55, pixelNoise: 1, missing: 0, seed: 2,
});
const good = clip.keypoints;
const frame = (landmarks: ArrayLike<number>, worldLandmarks?: ArrayLike<number>) => (worldLandmarks ? { landmarks, worldLandmarks } : { landmarks });

async function rejects(keypoints: unknown, field: RegExp, options: object = { iterations: 2 }) {
  await assert.rejects(fitBodyToKeypoints(keypoints as KeypointSequence, options), (e: unknown) => {
    assert.ok(e instanceof AvatarInputError, `expected AvatarInputError, got ${String(e)}`);
    assert.match((e as Error).message, field);
    return true;
  });
}

test('keypoints of the wrong shape are refused, naming the field', async () => {
  await rejects(null, /^keypoints: expected an object/);
  await rejects({ ...good, width: 0 }, /^keypoints\.width: expected a positive number/);
  await rejects({ ...good, height: NaN }, /^keypoints\.height: expected a positive number/);
  await rejects({ ...good, frames: [] }, /^keypoints\.frames: expected at least one frame, got Array\(0\)/);
  await rejects({ ...good, frames: 'x' }, /^keypoints\.frames: expected at least one frame/);
  await rejects({ ...good, frames: [good.frames[0], frame(new Float32Array(66))] }, /^keypoints\.frames\[1\]\.landmarks: expected 99 numbers .* got Float32Array\(66\)/);
  await rejects({ ...good, frames: [null] }, /^keypoints\.frames\[0\]: expected/);
  await rejects({ ...good, frames: [frame(good.frames[0]!.landmarks, new Float32Array(98))] }, /^keypoints\.frames\[0\]\.worldLandmarks: expected 99 or 132 numbers/);
});

test('no visible torso anywhere (all NaN, or shoulders missing) is refused', async () => {
  await rejects({ ...good, frames: good.frames.map(() => frame(new Float32Array(99).fill(NaN))) }, /^keypoints\.frames: expected at least one frame with the torso visible/);
  const noShoulders = good.frames.map((f) => {
    const l = Float32Array.from(f.landmarks);
    l[11 * 3 + 2] = 0;
    l[12 * 3] = NaN;
    return frame(l);
  });
  await rejects({ ...good, frames: noShoulders }, /^keypoints\.frames: expected at least one frame with the torso visible/);
});

test('bad options are refused, naming the option', async () => {
  await rejects(good, /^options\.iterations: expected a positive integer, got number 0/, { iterations: 0 });
  await rejects(good, /^options\.fovYDegrees: expected a number of degrees/, { fovYDegrees: 200 });
  await rejects(good, /^options\.weights\.pose: expected a finite number ≥ 0/, { weights: { pose: -1 } });
  await rejects(good, /^options\.weights\.nope: unknown weight/, { weights: { nope: 1 } });
  await rejects(good, /^options\.landmarkMap: expected 33 lists/, { landmarkMap: [] });
  const body = await createBodyModel(randomBodyData({ numJoints: 10, numVertices: 50 }));
  try {
    await rejects(good, /^options\.body: expected a body with 24 joints/, { body, iterations: 2 });
  } finally {
    body.dispose();
  }
  const smpl = await createBodyModel(data);
  try {
    const map = landmarkMapFor(smpl).map((l) => [...l]);
    map[0] = [{ kind: 'vertex', index: 1e6, weight: 1 }];
    await rejects(good, /^landmarkMap: expected vertex indices in 0…13379/, { body: smpl, landmarkMap: map, iterations: 2 });
  } finally {
    smpl.dispose();
  }
});

test('frames with missing points and a frame without a torso still fit (nearest torso starts it)', async () => {
  const frames = good.frames.map((f) => frame(Float32Array.from(f.landmarks)));
  (frames[1]!.landmarks as Float32Array).fill(NaN);
  // frame 1 shows only a hand point, which no body point stands for
  (frames[1]!.landmarks as Float32Array).set([300, 200, 1], 19 * 3);
  const fit = await fitBodyToKeypoints({ ...good, frames }, { iterations: 40 });
  assert.ok(Number.isNaN(fit.perFrameError[1]!));
  assert.ok(fit.perFrameError[0]! < 5 && fit.perFrameError[2]! < 5, `errors ${Array.from(fit.perFrameError)}`);
  assert.ok(fit.trans.every(Number.isFinite) && fit.poses.every(Number.isFinite));
});

test('world landmarks as 33×4 (with their own confidence) count like 33×3 ones', async () => {
  const world3 = syntheticClip(data, landmarkMapFor({ numVertices: data.vTemplate.length / 3, numJoints: 24 }), {
    motion: 'idle', frames: 2, width: 640, height: 480, fovYDegrees: 55, pixelNoise: 1, missing: 0, worldNoise: 0.01, seed: 4,
  }).keypoints;
  const world4 = {
    ...world3,
    frames: world3.frames.map((f) => {
      const w = new Float32Array(33 * 4);
      for (let k = 0; k < 33; k++) w.set([f.worldLandmarks![k * 3]!, f.worldLandmarks![k * 3 + 1]!, f.worldLandmarks![k * 3 + 2]!, f.landmarks[k * 3 + 2]!], k * 4);
      return frame(f.landmarks, w);
    }),
  };
  const a = await fitBodyToKeypoints(world3, { iterations: 30 });
  const b = await fitBodyToKeypoints(world4, { iterations: 30 });
  assert.deepEqual(Array.from(b.poses), Array.from(a.poses));
  // and they matter: without them the fit differs
  const c = await fitBodyToKeypoints({ ...world3, frames: world3.frames.map((f) => frame(f.landmarks)) }, { iterations: 30 });
  assert.notDeepEqual(Array.from(c.poses), Array.from(a.poses));
});

test('an aborted signal rejects with AbortError, before or during the fit, and the body can still be used', async () => {
  const body = await createBodyModel(data);
  try {
    const before = new AbortController();
    before.abort();
    await assert.rejects(fitBodyToKeypoints(good, { body, signal: before.signal }), AbortError);
    const during = new AbortController();
    let calls = 0;
    await assert.rejects(
      fitBodyToKeypoints(good, { body, iterations: 400, signal: during.signal, onProgress: () => { if (++calls === 5) during.abort(); } }),
      AbortError,
    );
    assert.equal(calls, 5);
    const fractions: number[] = [];
    const fit = await fitBodyToKeypoints(good, { body, iterations: 20, onProgress: (p) => { assert.equal(p.phase, 'body-fit'); fractions.push(p.fraction); } });
    assert.equal(fit.poses.length, 3 * 72);
    assert.equal(fractions.at(-1), 1);
    assert.equal(body.forward({ pose: new Float32Array(72) }).vertices.length, body.numVertices * 3);
  } finally {
    body.dispose();
  }
});

test('aborted fits free their WASM buffers: memory does not grow over repeated aborts', async () => {
  const body = await createBodyModel(data);
  const wasm = await loadBodyWasm();
  // 300 frames: each fit descriptor holds ~750 KiB, so a leak would soon add pages
  const big = { ...good, frames: Array.from({ length: 300 }, (_, f) => good.frames[f % good.frames.length]!) };
  const abortAfter = async (n: number) => {
    const controller = new AbortController();
    let calls = 0;
    await assert.rejects(
      fitBodyToKeypoints(big, { body, iterations: 100, signal: controller.signal, onProgress: () => { if (++calls === n) controller.abort(); } }),
      AbortError,
    );
  };
  try {
    await abortAfter(2);
    const pages = wasm.exports.memory.buffer.byteLength;
    for (let i = 0; i < 8; i++) await abortAfter(1 + (i % 3));
    assert.equal(wasm.exports.memory.buffer.byteLength, pages);
  } finally {
    body.dispose();
  }
});
