// The body fit's silhouette stage: targets on simple masks, and on a synthetic clip whose body is
// heavier than its keypoints can tell (β₁), the fit with masks matches the true silhouettes better
// than the keypoints alone, without losing the keypoints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import { fitBodyToKeypoints } from '../../src/fit/fit-body.js';
import { landmarkMapFor } from '../../src/fit/joint-map.js';
import { maskGeometry, silhouetteTargets, spreadVertices, DEFAULT_SILHOUETTE_TARGETS } from '../../src/fit/silhouette-targets.js';
import type { BodyFit } from '../../src/fit/types.js';
import { twinForward } from '../body/twin.js';
import { syntheticClip } from './synthetic-keypoints.js';

/** Slow, obvious: a pixel is covered when its centre is inside some triangle (barycentric test). */
function twinSilhouette(vertices: ArrayLike<number>, faces: Uint32Array, focal: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const project = (v: number) => [(focal * vertices[v * 3]!) / vertices[v * 3 + 2]! + width / 2, (focal * vertices[v * 3 + 1]!) / vertices[v * 3 + 2]! + height / 2] as const;
  for (let t = 0; t < faces.length; t += 3) {
    const [a, b, c] = [project(faces[t]!), project(faces[t + 1]!), project(faces[t + 2]!)];
    const det = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
    if (det === 0) continue;
    for (let y = Math.max(0, Math.floor(Math.min(a[1], b[1], c[1]))); y <= Math.min(height - 1, Math.ceil(Math.max(a[1], b[1], c[1]))); y++) {
      for (let x = Math.max(0, Math.floor(Math.min(a[0], b[0], c[0]))); x <= Math.min(width - 1, Math.ceil(Math.max(a[0], b[0], c[0]))); x++) {
        const px = x + 0.5 - a[0], py = y + 0.5 - a[1];
        const l1 = (px * (c[1] - a[1]) - py * (c[0] - a[0])) / det, l2 = ((b[0] - a[0]) * py - (b[1] - a[1]) * px) / det;
        if (l1 >= 0 && l2 >= 0 && l1 + l2 <= 1) out[y * width + x] = 1;
      }
    }
  }
  return out;
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let p = 0; p < a.length; p++) {
    if (a[p] && b[p]) inter++;
    if (a[p] || b[p]) union++;
  }
  return inter / union;
}

describe('silhouette targets', () => {
  const W = 40, H = 40;
  // A 20×20 person square at (10…29, 10…29).
  const mask = new Uint8Array(W * H);
  for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) mask[y * W + x] = 255;
  const geometry = maskGeometry(mask, W, H);

  it('measures the mask: contour pixels and the person height', () => {
    assert.equal(geometry.personHeight, 20);
    assert.equal(geometry.contour.length, 4 * 19);
    assert.equal(geometry.nearestInside[5 * W + 20], 10 * W + 20);
  });

  it('pulls vertices outside the mask to its nearest pixel and the nearest outline vertex to uncovered edges', () => {
    // Vertices: 0 outside (left of the square), 1 inside on the body's outline, 2 deep inside.
    const projected = new Float64Array([5.5, 20.5, 12.5, 12.5, 20.5, 20.5]);
    const samples = Int32Array.from([0, 1, 2]);
    // The body covers only (12…27, 12…27): the square's contour is uncovered everywhere.
    const body = new Uint8Array(W * H);
    for (let y = 12; y < 28; y++) for (let x = 12; x < 28; x++) body[y * W + x] = 1;
    const targets = silhouetteTargets(projected, samples, body, geometry, { ...DEFAULT_SILHOUETTE_TARGETS, maxReach: 0.5 });
    assert.deepEqual(Array.from(targets.subarray(0, 2)), [10.5, 20.5], 'outside → nearest mask pixel');
    assert.equal(targets[2], DEFAULT_SILHOUETTE_TARGETS.insideWeight);
    // Vertex 1 is the only outline vertex (vertex 0 already has an inside target): it takes every uncovered contour pixel's pull, averaged.
    assert.ok(targets[5]! > 0 && targets[5]! <= DEFAULT_SILHOUETTE_TARGETS.fillWeight);
    assert.equal(targets[8], 0, 'a vertex deep inside takes nothing');
    // Out of reach: nothing to fill.
    const near = silhouetteTargets(projected, samples, body, geometry, { ...DEFAULT_SILHOUETTE_TARGETS, maxReach: 0.01 });
    assert.equal(near[5], 0);
  });

  it('spreads sample vertices over the whole body, deterministically', () => {
    const data = defaultBodyData();
    const a = spreadVertices(data.vTemplate, 64), b = spreadVertices(data.vTemplate, 64);
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, 64);
    const ys = Array.from(a, (v) => data.vTemplate[v * 3 + 1]!);
    assert.ok(Math.max(...ys) - Math.min(...ys) > 1.3, 'head to feet');
  });
});

describe('fitBodyToKeypoints with masks', () => {
  it('fits the silhouettes of a body heavier than its keypoints show, keeping the keypoints', async () => {
    const data = defaultBodyData();
    const body = await createBodyModel(data);
    try {
      const width = 320, height = 240;
      const clip = syntheticClip(data, landmarkMapFor(body), {
        motion: 'walk', frames: 4, step: 6, width, height, fovYDegrees: 50, pixelNoise: 1, missing: 0, betas: [0, 2.5], worldNoise: 0.02, seed: 3,
      });
      const F = 4;
      const masks = Array.from({ length: F }, (_, f) => {
        const v = twinForward(data, { pose: clip.poses.subarray(f * 72, f * 72 + 72), betas: clip.betas, trans: clip.trans.subarray(f * 3, f * 3 + 3) }).vertices;
        return twinSilhouette(v, data.faces, clip.focal, width, height).map((c) => c * 255);
      });
      const options = { body, iterations: 300, fovYDegrees: 50, refineFocal: false };
      const plain = await fitBodyToKeypoints(clip.keypoints, options);
      const withMasks = await fitBodyToKeypoints(clip.keypoints, { ...options, masks });
      const silhouetteIou = (fit: BodyFit) => {
        let sum = 0;
        for (let f = 0; f < F; f++) {
          const v = twinForward(data, { pose: fit.poses.subarray(f * 72, f * 72 + 72), betas: fit.betas, trans: fit.trans.subarray(f * 3, f * 3 + 3) }).vertices;
          sum += iou(twinSilhouette(v, data.faces, fit.camera.K[0]!, width, height), masks[f]!.map((m) => (m ? 1 : 0)));
        }
        return sum / F;
      };
      const meanError = (fit: BodyFit) => fit.perFrameError.reduce((s, e) => s + e, 0) / F;
      const before = silhouetteIou(plain), after = silhouetteIou(withMasks);
      console.log(`silhouette IoU ${before.toFixed(3)} → ${after.toFixed(3)}; β ${Array.from(plain.betas.subarray(0, 3), (b) => b.toFixed(3))} → ${Array.from(withMasks.betas.subarray(0, 3), (b) => b.toFixed(3))} (true 2.5); keypoint error ${meanError(plain).toFixed(2)} → ${meanError(withMasks).toFixed(2)} px`);
      assert.ok(after > before + 0.02 && after > 0.9, `silhouette IoU ${before.toFixed(3)} → ${after.toFixed(3)}`);
      assert.ok(meanError(withMasks) < meanError(plain) + 1, `keypoint error ${meanError(plain).toFixed(2)} → ${meanError(withMasks).toFixed(2)} px`);
      await assert.rejects(fitBodyToKeypoints(clip.keypoints, { ...options, masks: [masks[0]!] }), /options\.masks: expected an array of 4 masks/);
    } finally {
      body.dispose();
    }
  });
});
