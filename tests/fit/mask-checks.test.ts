// Mask checks: the CPU silhouette of a known triangle and of the default body through a known
// camera, the mask–body IoU against masks made from that silhouette (as is and shifted), and
// the head-in-mask fraction on synthetic masks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import { faceInMaskFraction, maskCoverageIoU, rasterizeSilhouette, regionInMaskFraction } from '../../src/fit/mask-checks.js';

/** A camera in the fit's convention: K column-major, f pixels, principal point at the centre. */
const camera = (width: number, height: number, f: number) => ({ width, height, K: [f, 0, 0, 0, f, 0, width / 2, height / 2, 1] });

/** A coverage image as a detector mask (0 / 255 bytes), optionally shifted right by `dx` pixels. */
function toMask(s: { width: number; height: number; coverage: Uint8Array }, dx = 0): Uint8Array {
  const mask = new Uint8Array(s.width * s.height);
  for (let j = 0; j < s.height; j++) for (let i = 0; i < s.width; i++) if (i - dx >= 0 && i - dx < s.width && s.coverage[j * s.width + i - dx]) mask[j * s.width + i] = 255;
  return mask;
}

test('rasterizeSilhouette covers exactly the pixel centres inside a projected square, either winding, and skips triangles behind the camera', () => {
  // A 0.4 m square 2 m away through f = 100 px: 20 × 20 pixels, [22, 42) × [22, 42) on a 64 × 64 image.
  const vertices = [-0.2, -0.2, 2, 0.2, -0.2, 2, 0.2, 0.2, 2, -0.2, 0.2, 2, 0, 0, -1, 1, 0, -1, 0, 1, -1];
  for (const faces of [[0, 1, 2, 0, 2, 3], [0, 2, 1, 0, 3, 2]]) {
    const { width, height, coverage } = rasterizeSilhouette(vertices, [...faces, 4, 5, 6], camera(64, 64, 100));
    assert.deepEqual([width, height], [64, 64]);
    let count = 0;
    for (let j = 0; j < 64; j++) for (let i = 0; i < 64; i++) {
      const inside = i >= 22 && i < 42 && j >= 22 && j < 42;
      assert.equal(coverage[j * 64 + i], inside ? 1 : 0, `pixel (${i}, ${j})`);
      count += coverage[j * 64 + i]!;
    }
    assert.equal(count, 400);
  }
  // Half the resolution: the camera scaled with it (10 × 10 pixels).
  const half = rasterizeSilhouette(vertices, [0, 1, 2, 0, 2, 3], camera(64, 64, 100), 0.5);
  assert.deepEqual([half.width, half.height, half.coverage.reduce((s, x) => s + x, 0)], [32, 32, 100]);
});

test('maskCoverageIoU: the default body against a mask of its own silhouette is 1 (~0.8 at half the resolution, where limbs are 2 px wide); against the silhouette shifted 8 px (about a third of the torso width), far less', async () => {
  const body = await createBodyModel(defaultBodyData());
  try {
    const pose = new Float32Array(72);
    pose[0] = Math.PI; // upright, facing the camera
    pose[16 * 3 + 2] = -1.1; pose[17 * 3 + 2] = 1.1; // arms down a little
    const { vertices } = body.forward({ pose, trans: [0, 0.1, 3] });
    const cam = camera(96, 128, 120);
    const full = rasterizeSilhouette(vertices, body.faces, cam);
    const area = full.coverage.reduce((s, x) => s + x, 0);
    assert.ok(area > 500 && area < 4000, `body area ${area} px`);
    const low = rasterizeSilhouette(vertices, body.faces, cam, 0.5);
    assert.equal(maskCoverageIoU(toMask(full), 96, 128, full), 1);
    const same = maskCoverageIoU(toMask(full), 96, 128, low);
    const shifted = maskCoverageIoU(toMask(full, 8), 96, 128, full);
    console.log(`IoU own silhouette at half resolution ${same.toFixed(3)}, shifted 8 px ${shifted.toFixed(3)}`);
    assert.ok(same > 0.75, `own silhouette at half resolution: ${same}`);
    assert.ok(shifted < 0.5, `shifted: ${shifted}`);
    assert.ok(Number.isNaN(maskCoverageIoU(new Uint8Array(96 * 128), 96, 128, { width: 48, height: 64, coverage: new Uint8Array(48 * 64) })));
    // The head region (faces skinned to the head) lies inside the body's own mask, and not in a mask with the top rows cut.
    const J = body.numJoints;
    const head = Array.from(body.faces).filter((_, i, all) => {
      const f = i - (i % 3);
      return [0, 1, 2].every((c) => body.weights[all[f + c]! * J + 15]! >= 0.5);
    });
    const headRegion = rasterizeSilhouette(vertices, head, cam);
    assert.ok(headRegion.coverage.reduce((s, x) => s + x, 0) > 20);
    assert.equal(regionInMaskFraction(toMask(full), 96, 128, headRegion), 1);
    const headless = toMask(full);
    const neckRow = Math.floor(headRegion.coverage.lastIndexOf(1) / headRegion.width) + 1;
    headless.fill(0, 0, neckRow * 96);
    assert.equal(regionInMaskFraction(headless, 96, 128, headRegion), 0);
  } finally {
    body.dispose();
  }
});

test('faceInMaskFraction: visible face points on the mask, near its outline too; NaN when the face is not visible', () => {
  const width = 40, height = 60;
  // A person: head box rows 5–14, body rows 15–55, columns 12–27.
  const mask = new Uint8Array(width * height);
  for (let j = 5; j < 56; j++) for (let i = 12; i < 28; i++) mask[j * width + i] = 230;
  const keypoints = new Float32Array(33 * 3);
  const face: Record<number, [number, number, number]> = {
    0: [20, 10, 0.99], 2: [18, 8, 0.99], 5: [22, 8, 0.99], 7: [12.2, 9, 0.9], 8: [28.5, 9, 0.9], 9: [19, 12, 0.99], 10: [21, 12, 0.99],
    1: [19, 8, 0.2], 3: [17, 8, 0.2], 4: [21, 8, 0.2], 6: [23, 8, 0.2], // barely visible: not counted
  };
  for (const [k, p] of Object.entries(face)) keypoints.set(p, Number(k) * 3);
  assert.equal(faceInMaskFraction(mask, width, height, keypoints), 1, 'an ear half a pixel off the outline still counts');
  // The mask loses the head (rows above 15 cleared): no face point on it.
  const headless = mask.slice();
  headless.fill(0, 0, 15 * width);
  assert.equal(faceInMaskFraction(headless, width, height, keypoints), 0);
  // Half the head lost (left of column 20): the points on or within a pixel of the rest stay (nose, right eye, right ear, mouth), the left eye and ear go.
  const half = mask.slice();
  for (let j = 0; j < 15; j++) half.fill(0, j * width, j * width + 20);
  assert.equal(faceInMaskFraction(half, width, height, keypoints), 5 / 7);
  // Seen from behind: face points not visible → NaN (the body's head region decides then).
  const back = keypoints.slice();
  for (let k = 0; k <= 10; k++) back[k * 3 + 2] = 0.1;
  assert.ok(Number.isNaN(faceInMaskFraction(mask, width, height, back)));
  // Points outside the image are not counted.
  const outside = keypoints.slice();
  for (let k = 0; k <= 10; k++) outside[k * 3 + 1] = -5;
  assert.ok(Number.isNaN(faceInMaskFraction(mask, width, height, outside)));
});
