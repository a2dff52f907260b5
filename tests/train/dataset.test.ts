// Training dataset validation: every bad field gives an AvatarInputError naming it; good data is
// converted (ImageData-like sRGB → linear is covered in the browser test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarInputError } from '../../src/errors.js';
import { prepareDataset, type TrainingDataset } from '../../src/train/dataset.js';
import { frontCamera } from '../helpers/front-camera.js';

const W = 8, H = 6;

function goodDataset(frames = 2): TrainingDataset {
  return {
    camera: frontCamera(W, H),
    frames: Array.from({ length: frames }, (_, i) => ({
      image: new Float32Array(W * H * 3).fill(0.25 * i),
      mask: new Float32Array(W * H).fill(1),
      pose: new Float32Array(72).fill(0.01 * i),
      trans: new Float32Array([0, 0, i]),
    })),
  };
}

async function rejects(dataset: unknown, pattern: RegExp): Promise<void> {
  await assert.rejects(prepareDataset(dataset as TrainingDataset, 24, 10), (e: unknown) => {
    assert.ok(e instanceof AvatarInputError, `expected AvatarInputError, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

test('a good dataset is accepted and copied', async () => {
  const data = goodDataset(3);
  const prepared = await prepareDataset(data, 24, 10);
  assert.equal(prepared.width, W);
  assert.equal(prepared.height, H);
  assert.equal(prepared.frames.length, 3);
  assert.equal(prepared.frames[2]!.rgb[0], 0.5);
  assert.equal(prepared.frames[1]!.trans[2], 1);
  assert.notEqual(prepared.frames[1]!.pose, data.frames[1]!.pose, 'poses are copied (refinement must not write into the caller\'s arrays)');
  assert.equal(prepared.betas, undefined);
});

test('betas shorter than the body\'s are padded with zeros', async () => {
  const prepared = await prepareDataset({ ...goodDataset(), betas: new Float32Array([0.5, -1]) }, 24, 10);
  assert.deepEqual(Array.from(prepared.betas!), [0.5, -1, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('bad datasets give typed errors naming the field', async () => {
  await rejects(null, /^dataset: expected/);
  await rejects({ camera: frontCamera(W, H), frames: [] }, /dataset\.frames: expected a non-empty array/);
  await rejects({ ...goodDataset(), camera: undefined }, /dataset\.camera: expected \{ width, height, K, view \}/);
  const badK = goodDataset();
  badK.camera = { ...badK.camera!, K: new Float32Array(8) };
  await rejects(badK, /dataset\.camera\.K: expected Float32Array\(9\)/);
  const skew = goodDataset();
  skew.camera = { ...skew.camera!, K: new Float32Array([100, 0, 0, 3, 100, 0, 4, 3, 1]) };
  await rejects(skew, /dataset\.camera\.K: expected column-major \[fx, 0, 0, 0, fy, 0, cx, cy, 1\]/);
  const badView = goodDataset();
  badView.camera = { ...badView.camera!, view: new Float32Array(12) };
  await rejects(badView, /dataset\.camera\.view: expected Float32Array\(16\)/);
  const nanView = goodDataset();
  nanView.camera = { ...nanView.camera!, view: Float32Array.from(nanView.camera!.view, (v, k) => (k === 13 ? NaN : v)) };
  await rejects(nanView, /dataset\.camera\.view: .* got NaN at index 13/);
  const projective = goodDataset();
  projective.camera = { ...projective.camera!, view: Float32Array.from(projective.camera!.view, (v, k) => (k === 3 ? 0.5 : v)) };
  await rejects(projective, /dataset\.camera\.view: expected the last row \[0, 0, 0, 1\]/);
});

test('frames: image size, pose length, NaN poses, trans and masks', async () => {
  const smallImage = goodDataset();
  smallImage.frames[1]!.image = new Float32Array(W * H * 3 - 3);
  await rejects(smallImage, /dataset\.frames\[1\]\.image: expected Float32Array\(144\) \(H×W×3 = 6×8×3 linear RGB\), got Float32Array\(141\)/);
  const notImage = goodDataset();
  (notImage.frames[0] as { image: unknown }).image = 'frame.png';
  await rejects(notImage, /dataset\.frames\[0\]\.image: expected ImageData, ImageBitmap or Float32Array/);
  const nanImage = goodDataset();
  nanImage.frames[1]!.image = new Float32Array(W * H * 3).fill(NaN);
  await rejects(nanImage, /dataset\.frames\[1\]\.image: expected finite values, got NaN at index 0/);
  const shortPose = goodDataset();
  shortPose.frames[0]!.pose = new Float32Array(69);
  await rejects(shortPose, /dataset\.frames\[0\]\.pose: expected Float32Array\(72\) .* got Float32Array\(69\)/);
  const nanPose = goodDataset();
  nanPose.frames[1]!.pose = new Float32Array(72);
  nanPose.frames[1]!.pose[40] = NaN;
  await rejects(nanPose, /dataset\.frames\[1\]\.pose: .* got NaN at index 40/);
  const arrayPose = goodDataset();
  (arrayPose.frames[0] as { pose: unknown }).pose = new Array(72).fill(0);
  await rejects(arrayPose, /dataset\.frames\[0\]\.pose: expected Float32Array\(72\)/);
  const badTrans = goodDataset();
  badTrans.frames[0]!.trans = new Float32Array([0, Infinity, 0]);
  await rejects(badTrans, /dataset\.frames\[0\]\.trans: .* got Infinity at index 1/);
  const emptyMask = goodDataset();
  emptyMask.frames[1]!.mask = new Float32Array(W * H);
  await rejects(emptyMask, /dataset\.frames\[1\]\.mask: expected a mask that covers the person, got an empty mask/);
  const wrongMask = goodDataset();
  wrongMask.frames[0]!.mask = new Float32Array(W * H + 1).fill(1);
  await rejects(wrongMask, /dataset\.frames\[0\]\.mask: expected Float32Array\(48\)/);
  const outOfRange = goodDataset();
  outOfRange.frames[0]!.mask = new Float32Array(W * H).fill(2);
  await rejects(outOfRange, /dataset\.frames\[0\]\.mask: expected values in 0…1, got 2/);
});

test('frame times: kept when every frame has one; all or none, finite numbers', async () => {
  const timed = goodDataset(3);
  timed.frames.forEach((f, i) => (f.time = 0.5 + i / 30));
  const prepared = await prepareDataset(timed, 24, 10);
  assert.deepEqual(prepared.frames.map((f) => f.time), [0.5, 0.5 + 1 / 30, 0.5 + 2 / 30]);
  assert.ok((await prepareDataset(goodDataset(2), 24, 10)).frames.every((f) => f.time === undefined));
  const some = goodDataset(3);
  some.frames[1]!.time = 1;
  await rejects(some, /dataset\.frames\[1\]\.time: expected none \(frames\[0\] has no time\), got number 1/);
  const missing = goodDataset(3);
  missing.frames[0]!.time = 0;
  missing.frames[2]!.time = 2;
  await rejects(missing, /dataset\.frames\[1\]\.time: expected seconds like frames\[0\] \(all frames or none\), got undefined/);
  const nan = goodDataset(2);
  nan.frames.forEach((f) => (f.time = NaN));
  await rejects(nan, /dataset\.frames\[0\]\.time: expected a finite number of seconds, got number NaN/);
  const text = goodDataset(2);
  text.frames.forEach((f) => ((f as { time?: unknown }).time = '0.1'));
  await rejects(text, /dataset\.frames\[0\]\.time: expected a finite number of seconds, got/);
});

test('per-frame cameras: count and one image size', async () => {
  const data = goodDataset(2);
  const cameras = [frontCamera(W, H), frontCamera(W, H, { yaw: 0.5 })];
  const prepared = await prepareDataset({ cameras, frames: data.frames }, 24, 10);
  assert.equal(prepared.frames[1]!.camera, cameras[1]);
  await rejects({ cameras: [cameras[0]], frames: data.frames }, /dataset\.cameras: expected one camera per frame \(2\)/);
  await rejects({ cameras: [cameras[0], frontCamera(W + 1, H)], frames: data.frames }, /dataset\.cameras\[1\]: expected 8×6 like cameras\[0\]/);
  await rejects({ camera: cameras[0], cameras, frames: data.frames }, /dataset\.camera: expected either camera or cameras, got both/);
  await rejects({ ...data, betas: new Float32Array(11) }, /dataset\.betas: expected a Float32Array of at most 10 numbers, got Float32Array\(11\)/);
});
