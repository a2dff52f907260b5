/// <reference types="mocha" />
/**
 * Fidelity benchmark (`npm run bench:fidelity`): builds the ground-truth character (default body,
 * procedural clothes, a skirt the body model lacks), renders it over frames of the bundled walk
 * from a camera that circles the person, trains on 80 % of the frames and evaluates on the
 * held-out 20 % (novel poses): PSNR, SSIM, iterations/s, total time, GPU memory of the trainer's
 * buffers, adapter. Then again with the training poses perturbed (~0.1 rad per joint, 2 cm trans):
 * novel-pose PSNR trained without and with refinement; mean joint-angle error and mean joint
 * position error before and after refinement (all joints, the large ones, each joint, and the
 * limbs' swing and twist), for the trained avatar with trainAvatar's defaults (image loss, prior
 * towards the given poses, temporal prior: the frames carry their times), for the same without
 * the temporal prior (images only), for the temporal prior alone (no images: how much of the
 * noise smoothness removes by itself), and for the refinement against the true character
 * (refinement-bound.ts). Figures are printed, never asserted.
 *
 * Sizes: on a CPU adapter (SwiftShader) a reduced configuration runs (REDUCED); on a real GPU, FULL.
 */
import { quat } from 'gl-matrix';
import type { TrainingCamera } from '../../src/train/dataset.js';
import { trainAvatarDetailed, type TrainingResult } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { adapterName } from './bench-helpers.js';
import type { Character, RenderedFrame } from '../helpers/synthetic-character.js';
import { evaluate, fidelityClip, FULL, REDUCED, type FidelityConfig } from './fidelity-helpers.js';
import { isCpuAdapter } from '../../src/gpu/adapter-kind.js';
import { makeRng } from '../render/splat-fixtures.js';
import { mpjpe } from './joint-errors.js';
import { refineWithTrueAppearance } from './refinement-bound.js';
import { poseLearningRates, PoseRefiner } from '../../src/train/pose-refinement.js';


/** trainAvatar's defaults, which the bound's refinement repeats (the learning rates too: poseLearningRates). */
const REFINE_AFTER = 0.2, POSE_PRIOR = 0.05, POSE_SMOOTHNESS = 4e-5;

/** Root, hips, spine, knees, neck, shoulders, elbows: the joints a 64-pixel-high body shows (not hands, feet, wrists, collars, head). */
const LARGE_JOINTS = [0, 1, 2, 3, 4, 5, 6, 9, 12, 16, 17, 18, 19];

/** Joint k's rotation in an axis-angle pose vector, as a quaternion. */
function jointRotation(aa: ArrayLike<number>, k: number): quat {
  const axis = [aa[3 * k]!, aa[3 * k + 1]!, aa[3 * k + 2]!];
  const angle = Math.hypot(...axis);
  return quat.setAxisAngle(quat.create(), angle > 0 ? (axis.map((a) => a / angle) as [number, number, number]) : [1, 0, 0], angle);
}

/** R_true⁻¹·R_est of joint k. */
function rotationError(truth: ArrayLike<number>, estimate: ArrayLike<number>, k: number): quat {
  return quat.multiply(quat.create(), quat.invert(quat.create(), jointRotation(truth, k)), jointRotation(estimate, k));
}

const angleOf = (q: quat) => 2 * Math.acos(Math.min(1, Math.abs(q[3])));

/** Mean over frames and `joints` of the angle of R_true⁻¹·R_est (radians). */
function meanJointAngleError(truth: Float32Array[], estimate: Float32Array[], joints = Array.from({ length: 24 }, (_, j) => j)): number {
  let sum = 0, n = 0;
  truth.forEach((t, f) => {
    for (const j of joints) {
      sum += angleOf(rotationError(t, estimate[f]!, j));
      n++;
    }
  });
  return sum / n;
}

/**
 * Mean twist (rotation about the rest-pose bone to the joint's only child) and swing (the rest) of
 * R_true⁻¹·R_est over frames and the joints with exactly one child, radians. A limb's twist
 * barely changes its silhouette, so images constrain the swing much better than the twist.
 */
function twistSwingErrors(truth: Float32Array[], estimate: Float32Array[], parents: Int32Array, restJoints: Float32Array): { twist: number; swing: number } {
  let twist = 0, swing = 0, n = 0;
  for (let j = 0; j < parents.length; j++) {
    const children = Array.from(parents).flatMap((p, c) => (p === j ? [c] : []));
    if (children.length !== 1) continue;
    const bone = [0, 1, 2].map((k) => restJoints[3 * children[0]! + k]! - restJoints[3 * j + k]!);
    const length = Math.hypot(...bone);
    const axis = bone.map((v) => v / length) as [number, number, number];
    truth.forEach((t, f) => {
      const d = rotationError(t, estimate[f]!, j);
      const twistAngle = 2 * Math.atan2(d[0] * axis[0] + d[1] * axis[1] + d[2] * axis[2], d[3]);
      const twistRotation = quat.setAxisAngle(quat.create(), axis, twistAngle);
      twist += angleOf(twistRotation);
      swing += angleOf(quat.multiply(quat.create(), d, quat.invert(quat.create(), twistRotation)));
      n++;
    });
  }
  return { twist: twist / n, swing: swing / n };
}

describe('fidelity benchmark (trainAvatar on a synthetic character)', () => {
  let device: GPUDevice;
  let config: FidelityConfig;
  let character: Character;
  let cameras: TrainingCamera[];
  let frames: RenderedFrame[];
  let train: number[];
  let test: number[];
  const pick = <T>(list: T[], indices: number[]) => indices.map((i) => list[i]!);
  const header = ['run', 'novel PSNR', 'novel SSIM', 'train PSNR', 'it/s', 'total', 'GPU memory'].join(' | ');

  before(async () => {
    device = await getTestDevice();
    config = isCpuAdapter(device) ? REDUCED : FULL;
    const { size } = config;
    ({ character, cameras, frames, train, test } = await fidelityClip(device, config));
    console.log([
      `fidelity benchmark — ${config.name}: ${size}×${size} images, ground truth R = ${config.truthResolution} + skirt (${character.count} Gaussians, ${character.skirtCount} in the skirt), training R = ${config.resolution}, ${train.length} training / ${test.length} held-out frames (novel poses), ${config.stage1} + ${config.stage2} iterations`,
      `adapter: ${adapterName(device)}`,
    ].join('\n'));
  });
  after(() => character?.avatar.body.dispose());

  const run = async (label: string, trainFrames: RenderedFrame[], refinePoses: boolean, poseSmoothness = POSE_SMOOTHNESS): Promise<TrainingResult> => {
    const t0 = performance.now();
    const result = await trainAvatarDetailed({ cameras: pick(cameras, train), frames: trainFrames }, {
      device, resolution: config.resolution, stage1Iterations: config.stage1, stage2Iterations: config.stage2, refinePoses, progressEvery: 50,
      regularisation: { poseSmoothness },
    });
    const seconds = (performance.now() - t0) / 1000;
    const iterations = result.iterations[0] + result.iterations[1];
    const novel = await evaluate(device, result.avatar, pick(frames, test), pick(cameras, test));
    const seen = await evaluate(device, result.avatar, pick(frames, train.slice(0, 2)), pick(cameras, train.slice(0, 2)));
    console.log(`${header}\n${[label, `${novel.psnr.toFixed(2)} dB`, novel.ssim.toFixed(4), `${seen.psnr.toFixed(2)} dB`, (iterations / seconds).toFixed(2), `${seconds.toFixed(1)} s`, `${(result.gpuBytes / 2 ** 20).toFixed(1)} MiB`].join(' | ')}`);
    result.avatar.body.dispose();
    return result;
  };

  it('exact training poses: novel-pose PSNR / SSIM, speed, memory', async () => {
    await run('exact poses', pick(frames, train), false);
  });

  it('perturbed training poses (~0.1 rad per joint, 2 cm): novel-pose PSNR without and with refinement, pose errors before and after', async () => {
    const rng = makeRng(77);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const truthFrames = pick(frames, train);
    const noisy = truthFrames.map((f) => ({
      ...f,
      pose: Float32Array.from(f.pose, (v) => v + (0.1 / Math.sqrt(3)) * normal()),
      trans: Float32Array.from(f.trans, (v) => v + (0.02 / Math.sqrt(3)) * normal()),
    }));
    await run('perturbed, not refined', noisy, false);
    const refined = await run('perturbed, refined', noisy, true);
    const imageOnly = await run('perturbed, refined without the temporal prior', noisy, true, 0);
    const iterations = config.stage1 - Math.floor(REFINE_AFTER * config.stage1);
    const rates = poseLearningRates({}, iterations / noisy.length);
    const refineOptions = {
      frames: noisy, cameras: pick(cameras, train), iterations,
      poseLearningRate: rates.pose, transLearningRate: rates.trans, prior: POSE_PRIOR,
      times: noisy.map((f) => f.time!), smoothness: POSE_SMOOTHNESS,
    };
    // The same refinement against the true character (no network to learn): its bound here.
    const t0 = performance.now();
    const bound = await refineWithTrueAppearance(device, character, refineOptions);
    const boundSeconds = (performance.now() - t0) / 1000;
    // The priors alone, without any image (a zero image gradient, the same steps per frame).
    const priorsOnly = new PoseRefiner({ poses: noisy.map((f) => f.pose), trans: noisy.map((f) => f.trans), ...refineOptions });
    for (let it = 0; it < refineOptions.iterations; it++) priorsOnly.step(it % noisy.length, { pose: new Float32Array(72), trans: new Float32Array(3) });

    const body = character.avatar.body;
    const rest = body.forwardTransforms({ pose: new Float32Array(72), trans: new Float32Array(3), betas: new Float32Array(body.numBetas) }).joints;
    const truth = truthFrames.map((f) => f.pose), given = noisy.map((f) => f.pose);
    const transError = (list: Float32Array[]) => list.reduce((s, t, k) => s + Math.hypot(...Array.from(t, (v, c) => v - truthFrames[k]!.trans[c]!)), 0) / list.length;
    const jointPositions = (poses: Float32Array[], trans: Float32Array[]) => poses.map((pose, k) => body.forwardTransforms({ pose, trans: trans[k]!, betas: character.avatar.betas }).joints);
    const truthJoints = jointPositions(truth, truthFrames.map((f) => f.trans));
    const givenMpjpe = mpjpe(jointPositions(given, noisy.map((f) => f.trans)), truthJoints, false);
    const less = (a: number, b: number, unit = 'rad', digits = 4) => `${a.toFixed(digits)} → ${b.toFixed(digits)} ${unit} (${(100 * (1 - b / a)).toFixed(1)} % less)`;
    const limbsBefore = twistSwingErrors(truth, given, body.parents, rest);
    const cases = [
      ['trained avatar (defaults)', refined],
      ['trained avatar, images only (no temporal prior)', imageOnly],
      [`true appearance (bound, ${boundSeconds.toFixed(0)} s)`, bound],
      ['priors alone, no image', priorsOnly],
    ] as const;
    for (const [label, result] of cases) {
      const limbs = twistSwingErrors(truth, result.poses, body.parents, rest);
      const perJoint = Array.from({ length: 24 }, (_, j) => `${j}:${(100 * (1 - meanJointAngleError(truth, result.poses, [j]) / meanJointAngleError(truth, given, [j]))).toFixed(0)}`);
      console.log([
        `pose refinement, ${label}: mean joint-angle error, all 24 joints ${less(meanJointAngleError(truth, given), meanJointAngleError(truth, result.poses))}; ${LARGE_JOINTS.length} large joints ${less(meanJointAngleError(truth, given, LARGE_JOINTS), meanJointAngleError(truth, result.poses, LARGE_JOINTS))}`,
        `  mean joint position error ${less(1000 * givenMpjpe, 1000 * mpjpe(jointPositions(result.poses, result.trans), truthJoints, false), 'mm', 1)}; mean trans error ${less(100 * transError(noisy.map((f) => f.trans)), 100 * transError(result.trans), 'cm', 2)}`,
        `  joints with one child (limbs, spine, neck): swing ${less(limbsBefore.swing, limbs.swing)}; twist about the bone ${less(limbsBefore.twist, limbs.twist)}`,
        `  % less per joint: ${perJoint.join(' ')}`,
      ].join('\n'));
    }
  });
});
