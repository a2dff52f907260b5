/**
 * Body fit speed and accuracy: fitBodyToKeypoints on synthetic clips (default body, dance motion
 * looped at 30 fps, 960×720, true field of view 50° against the 55° prior, σ = 2 px noise, 10 %
 * missing points, world landmarks with σ = 2 cm noise). Prints the time per frame, one objective
 * evaluation (loss + gradient, WASM) per frame, mean joint position error (MPJPE over the 24
 * joints, in the camera frame and with the pelvis aligned) and mean translation / focal error.
 * The camera-frame figures follow the focal error: a body of known size seen at a fixed image
 * size sits at a depth proportional to the focal length. Never asserts.
 * `BODY_FIT_FRAMES=30,300 npx tsx tests/bench/body-fit.bench.ts` picks the clip lengths.
 */
import os from 'node:os';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import { fitBodyToKeypoints } from '../../src/fit/fit-body.js';
import { FitObjective } from '../../src/fit/fit-objective.js';
import { landmarkMapFor } from '../../src/fit/joint-map.js';
import { twinForward } from '../body/twin.js';
import { syntheticClip } from '../fit/synthetic-keypoints.js';

const lengths = (process.env.BODY_FIT_FRAMES ?? '30,300').split(',').map(Number);
const iterations = Number(process.env.BODY_FIT_ITERATIONS ?? 1000);
const data = defaultBodyData();
const body = await createBodyModel(data);
const map = landmarkMapFor(body);
console.log(`body fit bench — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, load avg ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`default body, dance looped, 960×720, FOV 50° (prior 55°), 2 px noise, 10 % missing, 3D σ 2 cm, iterations option ${iterations}`);
console.log('| frames | L-BFGS iterations | fit s | ms / frame | objective+gradient µs / frame | MPJPE mm (camera frame) | MPJPE mm (pelvis-aligned) | trans error mm | focal error % | reprojection px |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const F of lengths) {
  const clip = syntheticClip(data, map, {
    motion: 'dance', frames: F, width: 960, height: 720, fovYDegrees: 50, pixelNoise: 2, missing: 0.1, worldNoise: 0.02, betas: [0.5, -0.3], seed: 1,
  });
  // one objective evaluation over the clip, at the true parameters
  const K2 = new Float64Array(F * 33 * 3);
  clip.keypoints.frames.forEach((fr, f) => fr.landmarks && K2.set(Array.from(fr.landmarks, (v) => (Number.isFinite(v) ? v : 0)), f * 99));
  const objective = await FitObjective.create(body, {
    numFrames: F, keypoints2d: K2, map, poseWeights: new Float64Array(72).fill(1e-5), limitSigns: new Float64Array(72),
    weights: { w2d: 1, sigma2d: 36, w3d: 0, sigma3d: 0.1, limit: 0, shape: 0, smoothPose: 0, smoothTrans: 0, focal: 0, logFocalPrior: 0, cx: 480, cy: 360, hipLeft: 23, hipRight: 24, w3dImagePlane: 1 },
  });
  objective.params[body.numBetas] = Math.log(clip.focal);
  for (let f = 0; f < F; f++) {
    objective.params.set(clip.poses.subarray(f * 72, f * 72 + 72), body.numBetas + 1 + f * 75);
    objective.params.set(clip.trans.subarray(f * 3, f * 3 + 3), body.numBetas + 1 + f * 75 + 72);
  }
  objective.evaluate();
  const e0 = performance.now();
  const reps = 20;
  for (let r = 0; r < reps; r++) objective.evaluate();
  const evalUs = ((performance.now() - e0) / reps / F) * 1000;
  objective.dispose();

  const t0 = performance.now();
  const fit = await fitBodyToKeypoints(clip.keypoints, { body, iterations, weights: JSON.parse(process.env.BODY_FIT_WEIGHTS ?? '{}') });
  const seconds = (performance.now() - t0) / 1000;
  let mpjpe = 0, rootRelative = 0, trans = 0;
  for (let f = 0; f < F; f++) {
    const est = twinForward(data, { pose: fit.poses.subarray(f * 72, f * 72 + 72), betas: fit.betas, trans: fit.trans.subarray(f * 3, f * 3 + 3) }).joints;
    const truth = clip.joints.subarray(f * 72, f * 72 + 72);
    for (let j = 0; j < 24; j++) {
      mpjpe += Math.hypot(...[0, 1, 2].map((c) => est[j * 3 + c]! - truth[j * 3 + c]!)) / (24 * F);
      rootRelative += Math.hypot(...[0, 1, 2].map((c) => est[j * 3 + c]! - est[c]! - (truth[j * 3 + c]! - truth[c]!))) / (24 * F);
    }
    trans += Math.hypot(...[0, 1, 2].map((c) => fit.trans[f * 3 + c]! - clip.trans[f * 3 + c]!)) / F;
  }
  const reprojection = fit.perFrameError.reduce((a, b) => a + b, 0) / F;
  console.log(
    `| ${F} | ${fit.iterations} | ${seconds.toFixed(1)} | ${((seconds * 1000) / F).toFixed(1)} | ${evalUs.toFixed(1)} | ${(mpjpe * 1000).toFixed(1)} | ${(rootRelative * 1000).toFixed(1)} | ` +
      `${(trans * 1000).toFixed(1)} | ${((fit.camera.K[0]! / clip.focal - 1) * 100).toFixed(2)} | ${reprojection.toFixed(2)} |`,
  );
}
body.dispose();
