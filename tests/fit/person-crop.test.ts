import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropCamera, cropKeypoints, cropMask, personBox, personCrop } from '../../src/fit/person-crop.js';

const W = 40, H = 30;

function frameWith(rect: [number, number, number, number] | null, keypoints: number[][] = []) {
  const mask = new Uint8Array(W * H);
  if (rect) for (let y = rect[1]; y < rect[3]; y++) for (let x = rect[0]; x < rect[2]; x++) mask[y * W + x] = 255;
  const k = new Float32Array(33 * 3);
  keypoints.forEach(([x, y, v], i) => k.set([x!, y!, v!], 3 * i));
  return { width: W, height: H, mask, keypoints: k };
}

test('personBox: the union of masks and confident keypoints over frames, padded and clipped', () => {
  const box = personBox([frameWith([10, 5, 14, 20]), frameWith([16, 8, 20, 22], [[12, 3, 0.9], [39.5, 29, 0.1]])], 0)!;
  // Mask pixels [10, 20) × [5, 22); the confident keypoint at y = 3 extends the top; the unconfident one is ignored.
  assert.deepEqual(box, { x: 10, y: 3, width: 10, height: 19 });
  const padded = personBox([frameWith([10, 5, 14, 20])], 0.25)!; // pad 0.25 × 15 = 3.75 px
  assert.deepEqual(padded, { x: 6, y: 1, width: 12, height: 23 });
  assert.deepEqual(personBox([frameWith([0, 0, 40, 30])], 0.5), { x: 0, y: 0, width: 40, height: 30 }, 'clipped to the image');
  assert.equal(personBox([frameWith(null)]), null);
  assert.equal(personBox([]), null);
  assert.throws(() => personBox([frameWith(null), { ...frameWith(null), width: 20 }]), /frames of one size/);
});

test('personCrop: longest side to maxSize, never upsampled', () => {
  assert.deepEqual(personCrop({ x: 100, y: 50, width: 200, height: 400 }, 256), { box: { x: 100, y: 50, width: 200, height: 400 }, scale: 0.64, width: 128, height: 256 });
  assert.equal(personCrop({ x: 0, y: 0, width: 100, height: 80 }, 256).scale, 1);
});

test('cropCamera: a point projects into the crop where its source pixel maps, (u − box)·scale', () => {
  const camera = { width: 1024, height: 576, K: new Float32Array([900, 0, 0, 0, 900, 0, 512, 288, 1]), view: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) };
  const crop = personCrop({ x: 380, y: 60, width: 250, height: 480 }, 256);
  const cropped = cropCamera(camera, crop);
  assert.equal(cropped.width, crop.width);
  assert.equal(cropped.height, 256);
  const project = (K: Float32Array, p: number[]) => [K[0]! * p[0]! / p[2]! + K[6]!, K[4]! * p[1]! / p[2]! + K[7]!];
  for (const p of [[0.1, -0.4, 3], [-0.3, 0.7, 2.5], [0, 0, 4]]) {
    const [u, v] = project(camera.K, p);
    const [uc, vc] = project(cropped.K, p);
    assert.ok(Math.abs(uc! - (u! - crop.box.x) * crop.scale) < 1e-3);
    assert.ok(Math.abs(vc! - (v! - crop.box.y) * crop.scale) < 1e-3);
  }
  const k = cropKeypoints(new Float32Array([400, 100, 0.7]), crop);
  assert.deepEqual(Array.from(k), [Math.fround((400 - 380) * crop.scale), Math.fround((100 - 60) * crop.scale), Math.fround(0.7)]);
});

test('cropMask: area average over each output pixel’s footprint', () => {
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mask[y * W + x] = (x + y) % 2 === 0 ? 255 : 0; // checkerboard
  const half = cropMask(mask, W, personCrop({ x: 4, y: 2, width: 20, height: 10 }, 10));
  assert.equal(half.length, 10 * 5);
  for (const v of half) assert.ok(Math.abs(v - 127.5) <= 0.5, `2×2 checker block averages to ½, got ${v}`);
  const same = cropMask(mask, W, personCrop({ x: 3, y: 1, width: 5, height: 4 }, 64));
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) assert.equal(same[y * 5 + x], mask[(y + 1) * W + x + 3], 'scale 1 copies the box');
});
