// assessFitFrames on a synthetic clip: the default body turning slowly in front of a known
// camera, its detections made from the body itself (2D keypoints projected, world landmarks
// hip-centred, masks from its silhouette); then single frames spoiled in the ways seen on real
// footage (a mask without the head, a mask of something else, a fitted root turned 70°, 3D
// landmarks turned 70°) are the ones left out, with their reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import type { PoseFrame } from '../../src/capture/types.js';
import { AvatarInputError } from '../../src/errors.js';
import { assessFitFrames } from '../../src/fit/frame-quality.js';
import { landmarkMapFor } from '../../src/fit/joint-map.js';
import { rasterizeSilhouette } from '../../src/fit/mask-checks.js';
import type { BodyFit } from '../../src/fit/types.js';

const F = 8, WIDTH = 96, HEIGHT = 128, FOCAL = 120, GAP = 0.4;
const K = [FOCAL, 0, 0, 0, FOCAL, 0, WIDTH / 2, HEIGHT / 2, 1];

/** Root axis-angle of a person facing the camera turned by `yawDeg` about their vertical: Rx(π)·Ry(yaw). */
function rootFor(yawDeg: number): number[] {
  const h = (yawDeg * Math.PI) / 360;
  // Its quaternion (1, 0, 0, 0)·(0, sin h, 0, cos h) = (cos h, 0, sin h, 0): a half turn about (cos h, 0, sin h).
  return [Math.PI * Math.cos(h), 0, Math.PI * Math.sin(h)];
}

interface Clip {
  fit: BodyFit;
  frames: PoseFrame[];
}

/** The body turning from 0 to 28° over F frames GAP s apart, fitted exactly; detections from the body itself. */
function syntheticClip(body: BodyModel, yawOf = (f: number) => 4 * f): Clip {
  const map = landmarkMapFor(body);
  const poses = new Float32Array(F * 72), trans = new Float32Array(F * 3);
  const frames: PoseFrame[] = [];
  for (let f = 0; f < F; f++) {
    const pose = new Float32Array(72);
    pose.set(rootFor(yawOf(f)));
    pose[16 * 3 + 2] = -1.1; pose[17 * 3 + 2] = 1.1; // arms a little down
    poses.set(pose, f * 72);
    trans.set([0, 0.1, 3], f * 3);
    const { vertices, joints } = body.forward({ pose, trans: [0, 0.1, 3] });
    // Landmarks: each the weighted sum of its joint / vertex terms (the fit's own map).
    const point = (k: number): number[] => {
      const p = [0, 0, 0];
      for (const term of map[k]!) for (let c = 0; c < 3; c++) p[c]! += term.weight * (term.kind === 'joint' ? joints : vertices)[term.index * 3 + c]!;
      return p;
    };
    const hips = [0, 1, 2].map((c) => (point(23)[c]! + point(24)[c]!) / 2);
    const keypoints = new Float32Array(33 * 3), world = new Float32Array(33 * 4).fill(Number.NaN);
    for (let k = 0; k < 33; k++) {
      if (map[k]!.length === 0) continue;
      const p = point(k);
      keypoints.set([(FOCAL * p[0]!) / p[2]! + WIDTH / 2, (FOCAL * p[1]!) / p[2]! + HEIGHT / 2, 0.95], k * 3);
      world.set([p[0]! - hips[0]!, p[1]! - hips[1]!, p[2]! - hips[2]!, 0.95], k * 4);
    }
    const silhouette = rasterizeSilhouette(vertices, body.faces, { width: WIDTH, height: HEIGHT, K });
    const mask = silhouette.coverage.map((x) => x * 255);
    frames.push({ frameIndex: f + 2, timestamp: 0.2 + f * GAP, width: WIDTH, height: HEIGHT, keypoints, worldLandmarks: world, mask });
  }
  const fit: BodyFit = {
    betas: new Float32Array(body.numBetas), poses, trans,
    camera: { width: WIDTH, height: HEIGHT, K: Float32Array.from(K), view: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) },
    perFrameError: Float32Array.from({ length: F }, (_, f) => 0.5 + f / 10), iterations: 1,
  };
  return { fit, frames };
}

/** Turns world landmarks about the vertical through the hips by `deg` (camera axes: about y). */
function turnWorld(world: Float32Array, deg: number): Float32Array {
  const out = world.slice(), c = Math.cos((deg * Math.PI) / 180), s = Math.sin((deg * Math.PI) / 180);
  for (let k = 0; k < 33; k++) {
    const x = world[k * 4]!, z = world[k * 4 + 2]!;
    out[k * 4] = c * x + s * z;
    out[k * 4 + 2] = -s * x + c * z;
  }
  return out;
}

test('assessFitFrames: a clean clip is used whole; frames with a headless mask, a foreign mask, a twisted fit or twisted 3D landmarks are left out with their reasons', async () => {
  const body = await createBodyModel(defaultBodyData());
  try {
    const clean = syntheticClip(body);
    const quality = assessFitFrames(clean.frames, clean.fit, body);
    assert.equal(quality.length, F);
    for (const [i, q] of quality.entries()) {
      assert.deepEqual([q.frameIndex, q.timestamp, q.used, q.problems, q.reason], [i + 2, 0.2 + i * GAP, true, [], undefined], `frame ${i}`);
      assert.equal(q.reprojectionErrorPx, clean.fit.perFrameError[i]);
      assert.equal(q.maskIoU, 1, 'the mask is the fitted body\'s silhouette');
      assert.equal(q.headInMask, 1);
      // On the turn between its neighbours: ~0; the ends against their one neighbour: the 4° step.
      const step = i === 0 || i === F - 1 ? 4 : 0;
      assert.ok(Math.abs(q.orientationDeviationDeg - step) < 0.5 && Math.abs(q.landmarkOrientationDeviationDeg - step) < 1.5, `frame ${i}: ${q.orientationDeviationDeg}, ${q.landmarkOrientationDeviationDeg}`);
      assert.ok(q.facingDisagreementDeg < 10, `frame ${i}: facing ${q.facingDisagreementDeg}`);
    }

    const spoiled = syntheticClip(body);
    // Frame 1: the mask loses the head (everything above the shoulders cleared).
    const shoulderRow = Math.floor(Math.min(spoiled.frames[1]!.keypoints[11 * 3 + 1]!, spoiled.frames[1]!.keypoints[12 * 3 + 1]!)) - 1;
    spoiled.frames[1]!.mask!.fill(0, 0, shoulderRow * WIDTH);
    // Frame 3: the mask is of something else (a box in a corner).
    const foreign = new Uint8Array(WIDTH * HEIGHT);
    for (let j = 0; j < 40; j++) foreign.fill(255, j * WIDTH, j * WIDTH + 30);
    spoiled.frames[3]!.mask = foreign;
    // Frame 5: the fit turned the root 70° further than the turn (its detections are right).
    spoiled.fit.poses.set(rootFor(4 * 5 + 70), 5 * 72);
    // Frame 6: the 3D landmarks turned 70° (the 2D keypoints are right; the fit is right).
    spoiled.frames[6]!.worldLandmarks = turnWorld(spoiled.frames[6]!.worldLandmarks, -70);
    const result = assessFitFrames(spoiled.frames, spoiled.fit, body);
    console.log(result.map((q) => `frame ${q.frameIndex}: ${q.used ? 'used' : `dropped (${q.reason})`}`).join('\n'));
    assert.deepEqual(result.map((q) => q.used), [true, false, true, false, true, false, false, true]);
    assert.match(result[1]!.reason!, /^mask lost the head \(0 % of it on the mask\)$/);
    assert.equal(result[1]!.headInMask, 0);
    assert.ok(result[3]!.maskIoU < 0.1 && /mask and fitted body overlap little/.test(result[3]!.reason!), String(result[3]!.reason));
    assert.ok(result[5]!.orientationDeviationDeg > 60 && /^fitted orientation \d+° from its neighbours'/.test(result[5]!.reason!), String(result[5]!.reason));
    assert.ok(result[6]!.landmarkOrientationDeviationDeg > 60 && /3D landmarks turned \d+° from their neighbours'/.test(result[6]!.reason!), String(result[6]!.reason));
    assert.ok(result[6]!.facingDisagreementDeg > 35 && /3D landmarks face \d+° away from what the 2D keypoints show/.test(result[6]!.reason!), String(result[6]!.reason));
    // The unspoiled frames keep their numbers.
    for (const i of [0, 2, 4, 7]) assert.deepEqual(result[i]!.problems, []);

    // When too few pass (minUsed), every frame is used and the problems stay listed.
    const all = assessFitFrames(spoiled.frames, spoiled.fit, body, { minUsed: 5 });
    assert.ok(all.every((q) => q.used && q.reason === undefined));
    assert.deepEqual(all.map((q) => q.problems.length > 0), [false, true, false, true, false, true, true, false]);

    // Seen from behind (face points not visible): the body's projected head decides.
    const back = syntheticClip(body);
    for (const p of back.frames) for (let k = 0; k <= 10; k++) p.keypoints[k * 3 + 2] = 0.1;
    back.frames[2]!.mask!.fill(0, 0, shoulderRow * WIDTH);
    const behind = assessFitFrames(back.frames, back.fit, body);
    assert.equal(behind[0]!.headInMask, 1);
    assert.deepEqual([behind[2]!.used, behind[2]!.headInMask], [false, 0]);

    // Frames without a mask: mask numbers NaN, judged by orientation alone.
    const unmasked = syntheticClip(body);
    for (const p of unmasked.frames) delete p.mask;
    const noMask = assessFitFrames(unmasked.frames, unmasked.fit, body);
    assert.ok(noMask.every((q) => q.used && Number.isNaN(q.maskIoU) && Number.isNaN(q.headInMask)));

    assert.throws(() => assessFitFrames(clean.frames.slice(1), clean.fit, body), (e: unknown) => e instanceof AvatarInputError && /^frames: expected one detection per fitted frame \(8\)/.test((e as Error).message));
  } finally {
    body.dispose();
  }
});
