/**
 * `fitBodyToKeypoints`: SMPLify-style fit of one shape, one camera focal length and per-frame pose
 * and translation to a clip's MediaPipe Pose keypoints. The objective and its exact gradient run
 * in WebAssembly (asm/keypoint_fit.ts); this file validates, initialises (camera-init.ts) and runs
 * L-BFGS in stages:
 *   1. torso: per-frame root orientation and translation against shoulders and hips only;
 *   2. all: shape, focal (unless refineFocal is false), every pose and translation against all
 *      mapped landmarks, first with a 10× pose prior, then with the normal one (SMPLify's annealing);
 *   3. with `masks`: the body's outline onto each frame's person mask (silhouette-fit.ts).
 * Conventions (world = OpenCV camera frame, root carries the turn into it): see types.ts.
 */
import { AbortError, AvatarInputError, describeValue } from '../errors.js';
import { createDefaultBody } from '../body/default-body.js';
import { focalFromFov, initialTranslation, nearestTorsoFrames, observeTorso, ROOT_FACING_AWAY, ROOT_FACING_CAMERA } from './camera-init.js';
import { FitObjective, type FitObjectiveInput, type ObjectiveWeights } from './fit-objective.js';
import { LEFT_HIP_LANDMARK, MEDIAPIPE_POSE_LANDMARK_COUNT, RIGHT_HIP_LANDMARK, TORSO_LANDMARKS, landmarkMapFor } from './joint-map.js';
import { minimizeLbfgs } from './lbfgs.js';
import { fitSilhouettes, SILHOUETTE_ITERATIONS_PER_ROUND, SILHOUETTE_ROUNDS } from './silhouette-fit.js';
import type { BodyFit, FitBodyOptions, FitWeights, KeypointSequence } from './types.js';

export const DEFAULT_FIT_WEIGHTS: Readonly<FitWeights> = {
  reprojection: 1,
  reprojectionSigma: 0.05,
  landmarks3d: 0.05,
  landmarks3dSigma: 0.15,
  landmarks3dImagePlane: 0.25,
  pose: 1e-5,
  jointLimits: 1e-2,
  shape: 1e-5,
  smoothPose: 1e-4,
  smoothTranslation: 0.05,
  focal: 1e-4,
};
const DEFAULT_FOV_Y_DEGREES = 55;
const DEFAULT_ITERATIONS = 1000;
/** The first part of stage 2 multiplies the pose prior by this. */
const POSE_PRIOR_ANNEAL = 10;
/** Knees and elbows are hinges (about x and y): their other two components get this many times the pose prior. */
const HINGE_OFF_AXIS = 100;
const HINGES: ReadonlyArray<readonly [number, number]> = [[4, 0], [5, 0], [18, 1], [19, 1]]; // [joint, hinge axis]
const K = MEDIAPIPE_POSE_LANDMARK_COUNT;
const J = 24;

/** Yields to the event loop at most this often (ms), so progress is painted and aborts are seen. */
const YIELD_INTERVAL_MS = 30;

/**
 * Fits the body to `keypoints` (see KeypointSequence for the layout). Rejects with AvatarInputError
 * naming the field for bad input, AbortError when `options.signal` aborts.
 */
export async function fitBodyToKeypoints(keypoints: KeypointSequence, options: FitBodyOptions = {}): Promise<BodyFit> {
  const input = readKeypoints(keypoints);
  const settings = readOptions(options);
  throwIfAborted(options.signal);
  const body = options.body ?? (await createDefaultBody());
  let objective: FitObjective | undefined;
  try {
    if (body.numJoints !== J) throw new AvatarInputError(`options.body: expected a body with ${J} joints (SMPL skeleton), got ${body.numJoints}`);
    const map = options.landmarkMap ?? landmarkMapFor(body);
    if (!Array.isArray(map) || map.length !== K) throw new AvatarInputError(`options.landmarkMap: expected ${K} lists of terms, got ${describeValue(map)}`);
    const { width, height } = keypoints;
    const F = input.numFrames, B = body.numBetas;
    const focal0 = focalFromFov(height, settings.fovYDegrees);
    const w = settings.weights;
    const weights: ObjectiveWeights = {
      w2d: w.reprojection / (height * height), sigma2d: w.reprojectionSigma * height,
      w3d: input.keypoints3d ? w.landmarks3d : 0, sigma3d: w.landmarks3dSigma,
      limit: w.jointLimits, shape: w.shape * F, smoothPose: w.smoothPose, smoothTrans: w.smoothTranslation,
      focal: w.focal * F, logFocalPrior: Math.log(focal0), cx: width / 2, cy: height / 2,
      hipLeft: LEFT_HIP_LANDMARK, hipRight: RIGHT_HIP_LANDMARK, w3dImagePlane: w.landmarks3dImagePlane,
    };
    const poseWeights = (scale: number) => {
      const pw = new Float64Array(3 * J);
      for (let i = 3; i < 3 * J; i++) pw[i] = w.pose * scale;
      for (const [joint, axis] of HINGES) for (let c = 0; c < 3; c++) if (c !== axis) pw[joint * 3 + c]! *= HINGE_OFF_AXIS;
      return pw;
    };
    const objectiveInput: FitObjectiveInput = {
      numFrames: F, keypoints2d: input.keypoints2d, keypoints3d: input.keypoints3d, map,
      weights, poseWeights: poseWeights(POSE_PRIOR_ANNEAL), limitSigns: jointLimitSigns(),
    };
    objective = await FitObjective.create(body, objectiveInput);
    const stride = 3 * J + 3, first = B + 1;
    const x0 = initialParams(objective, input.keypoints2d, F, B, focal0, width / 2, height / 2);
    const masks = readMasks(options.masks, F, width, height);

    const stage1 = Math.max(1, Math.ceil(settings.iterations / 4));
    const stage2a = Math.max(1, Math.ceil(settings.iterations / 2));
    const stage2b = Math.max(1, settings.iterations - stage2a);
    const silhouette = masks ? SILHOUETTE_ROUNDS * SILHOUETTE_ITERATIONS_PER_ROUND : 0;
    const planned = stage1 + stage2a + stage2b + silhouette;
    let done = 0, lastYield = Date.now();
    const onIteration = async (_iteration: number, loss: number) => {
      done++;
      throwIfAborted(options.signal);
      options.onProgress?.({ phase: 'body-fit', fraction: Math.min(done / planned, 1), loss });
      if (Date.now() - lastYield >= YIELD_INTERVAL_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        throwIfAborted(options.signal);
        lastYield = Date.now();
      }
    };
    // The optimiser sees each translation as τ with t = (f / f₀)·τ: changing the focal length then
    // moves the body along its viewing rays, which keeps its image nearly fixed. That turns the
    // flat focal–depth valley into (nearly) one coordinate, where L-BFGS converges much faster.
    const reparameterise = (fit: FitObjective) => {
      const toModel = (x: Float64Array) => {
        const p = fit.params, scale = Math.exp(x[B]!) / focal0;
        p.set(x);
        for (let f = 0; f < F; f++) for (let c = 0; c < 3; c++) p[first + f * stride + 3 * J + c]! *= scale;
        return p;
      };
      const evaluate = (x: Float64Array, grad: Float64Array) => {
        const p = toModel(x);
        const loss = fit.evaluate();
        const scale = Math.exp(x[B]!) / focal0;
        grad.set(fit.gradient);
        for (let f = 0; f < F; f++) {
          for (let c = 0; c < 3; c++) {
            const i = first + f * stride + 3 * J + c;
            grad[B]! += grad[i]! * p[i]!; // ∂t/∂log f = t
            grad[i]! *= scale;
          }
        }
        return loss;
      };
      return { toModel, evaluate };
    };
    const { toModel, evaluate } = reparameterise(objective);

    // Stage 1: root orientation + translation against the torso.
    const free = new Uint8Array(objective.numParams);
    for (let f = 0; f < F; f++) {
      free.fill(1, first + f * stride, first + f * stride + 3);
      free.fill(1, first + f * stride + 3 * J, first + (f + 1) * stride);
    }
    objective.landmarkWeights.fill(0);
    for (const k of TORSO_LANDMARKS) objective.landmarkWeights[k] = 1;
    let result = await minimizeLbfgs(evaluate, x0, { maxIterations: stage1, free, onIteration });
    let iterations = result.iterations;

    // Stage 2: everything, annealing the pose prior.
    free.fill(1);
    if (!settings.refineFocal) free[B] = 0;
    objective.landmarkWeights.fill(1);
    result = await minimizeLbfgs(evaluate, result.x, { maxIterations: stage2a, free, onIteration });
    iterations += result.iterations;
    objective.setPoseWeights(poseWeights(1));
    result = await minimizeLbfgs(evaluate, result.x, { maxIterations: stage2b, free, onIteration });
    iterations += result.iterations;
    let finalX = result.x;
    let keypointErrors: Float64Array | null = null;

    // Stage 3 (with masks): the body's outline onto the person's, focal held.
    if (masks) {
      free[B] = 0;
      objectiveInput.poseWeights = poseWeights(1);
      const stage3 = await fitSilhouettes({ body, objective: objectiveInput, masks, width, height, reparameterise, x: finalX, free, onIteration });
      finalX = stage3.x;
      iterations += stage3.iterations;
      keypointErrors = stage3.keypointErrors;
    }

    const x = Float64Array.from(toModel(finalX)), focal = Math.exp(x[B]!);
    const finalLoss = objective.evaluate();
    if (done < planned) options.onProgress?.({ phase: 'body-fit', fraction: 1, loss: finalLoss }); // stages that converged early
    const frameErrors = keypointErrors ?? objective.frameErrors;
    const measured = (f: number) => map.some((terms, k) => terms.length > 0 && input.keypoints2d[(f * K + k) * 3 + 2]! > 0);
    const perFrameError = Float32Array.from({ length: F }, (_, f) => (measured(f) ? frameErrors[f]! : NaN));
    const poses = new Float32Array(F * 3 * J), trans = new Float32Array(F * 3);
    for (let f = 0; f < F; f++) {
      poses.set(x.subarray(first + f * stride, first + f * stride + 3 * J), f * 3 * J);
      trans.set(x.subarray(first + f * stride + 3 * J, first + (f + 1) * stride), f * 3);
    }
    return {
      betas: Float32Array.from(x.subarray(0, B)),
      poses,
      trans,
      camera: {
        width, height,
        K: new Float32Array([focal, 0, 0, 0, focal, 0, width / 2, height / 2, 1]),
        view: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      },
      perFrameError,
      iterations,
    };
  } finally {
    objective?.dispose();
    if (!options.body) body.dispose();
  }
}

/** SMPLify's bend-direction limits: knees bend about +x only, the left elbow about −y, the right about +y. */
function jointLimitSigns(): Float64Array {
  const s = new Float64Array(3 * J);
  s[4 * 3] = -1; s[5 * 3] = -1; // knees: penalise negative x (hyper-extension)
  s[18 * 3 + 1] = 1; // left elbow: penalise positive y
  s[19 * 3 + 1] = -1; // right elbow: penalise negative y
  return s;
}

/** β = 0, the prior focal, each frame's root facing as its torso says and translation from its size. */
function initialParams(objective: FitObjective, keypoints2d: Float64Array, F: number, B: number, focal: number, cx: number, cy: number): Float64Array {
  const stride = 3 * J + 3, first = B + 1;
  const torsos = Array.from({ length: F }, (_, f) => observeTorso(keypoints2d, K, f));
  const nearest = nearestTorsoFrames(torsos);
  const x = new Float64Array(objective.numParams);
  x[B] = Math.log(focal);
  // Model torso length and hip midpoint at zero translation, for both root choices (frame 0's slot).
  const measure = (root: readonly number[]) => {
    const p = objective.params;
    p.fill(0);
    p.set(root, first);
    const pts = objective.landmarks(0);
    const mid = (a: number, b: number) => [0, 1, 2].map((c) => (pts[a * 3 + c]! + pts[b * 3 + c]!) / 2);
    const shoulders = mid(11, 12), hips = mid(LEFT_HIP_LANDMARK, RIGHT_HIP_LANDMARK);
    return { length: Math.hypot(shoulders[0]! - hips[0]!, shoulders[1]! - hips[1]!, shoulders[2]! - hips[2]!), hips };
  };
  const facing = measure(ROOT_FACING_CAMERA), away = measure(ROOT_FACING_AWAY);
  for (let f = 0; f < F; f++) {
    const torso = torsos[nearest[f]!]!;
    const root = torso.facing ? ROOT_FACING_CAMERA : ROOT_FACING_AWAY;
    const model = torso.facing ? facing : away;
    x.set(root, first + f * stride);
    x.set(initialTranslation(torso, model.length, model.hips, focal, cx, cy), first + f * stride + 3 * J);
  }
  return x;
}

/** options.masks checked: one per frame (or undefined), bytes of the keypoints' image size; null when none is given. */
function readMasks(masks: FitBodyOptions['masks'], F: number, width: number, height: number): (Uint8Array | undefined)[] | null {
  if (masks === undefined) return null;
  if (!Array.isArray(masks) || masks.length !== F) throw new AvatarInputError(`options.masks: expected an array of ${F} masks (one per frame, or undefined), got ${describeValue(masks)}`);
  masks.forEach((m, f) => {
    if (m !== undefined && !(m instanceof Uint8Array && m.length === width * height)) {
      throw new AvatarInputError(`options.masks[${f}]: expected Uint8Array(${width * height}) (${width}×${height} bytes, ≥ 128 = person) or undefined, got ${describeValue(m)}`);
    }
  });
  return masks.some((m) => m !== undefined) ? [...masks] : null;
}

interface KeypointInput {
  numFrames: number;
  keypoints2d: Float64Array;
  keypoints3d?: Float64Array;
}

function readKeypoints(keypoints: KeypointSequence): KeypointInput {
  if (typeof keypoints !== 'object' || keypoints === null) throw new AvatarInputError(`keypoints: expected an object { width, height, frames }, got ${describeValue(keypoints)}`);
  for (const name of ['width', 'height'] as const) {
    const v = keypoints[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new AvatarInputError(`keypoints.${name}: expected a positive number of pixels, got ${describeValue(v)}`);
  }
  const frames = keypoints.frames;
  if (!Array.isArray(frames) || frames.length === 0) throw new AvatarInputError(`keypoints.frames: expected at least one frame, got ${describeValue(frames)}`);
  const F = frames.length;
  const kp2 = new Float64Array(F * K * 3);
  const has3d = frames.some((fr) => fr && fr.worldLandmarks !== undefined);
  const kp3 = has3d ? new Float64Array(F * K * 4) : undefined;
  const isNumbers = (a: unknown): a is ArrayLike<number> => (ArrayBuffer.isView(a) && !(a instanceof DataView)) || Array.isArray(a);
  frames.forEach((frame, f) => {
    if (typeof frame !== 'object' || frame === null) throw new AvatarInputError(`keypoints.frames[${f}]: expected { landmarks, worldLandmarks? }, got ${describeValue(frame)}`);
    const lm = frame.landmarks;
    if (!isNumbers(lm) || lm.length !== K * 3) {
      throw new AvatarInputError(`keypoints.frames[${f}].landmarks: expected ${K * 3} numbers (${K} landmarks × x, y, confidence), got ${describeValue(lm)}`);
    }
    const world = frame.worldLandmarks;
    if (world !== undefined && (!isNumbers(world) || (world.length !== K * 3 && world.length !== K * 4))) {
      throw new AvatarInputError(
        `keypoints.frames[${f}].worldLandmarks: expected ${K * 3} or ${K * 4} numbers (${K} landmarks × x, y, z metres [, confidence]), got ${describeValue(world)}`,
      );
    }
    const worldStride = world?.length === K * 4 ? 4 : 3;
    for (let k = 0; k < K; k++) {
      const u = Number(lm[k * 3]), v = Number(lm[k * 3 + 1]), c = Number(lm[k * 3 + 2]);
      const ok = Number.isFinite(u) && Number.isFinite(v) && Number.isFinite(c) && c > 0;
      const conf = ok ? Math.min(c, 1) : 0;
      if (ok) kp2.set([u, v, conf], (f * K + k) * 3);
      if (kp3 && world) {
        const o = k * worldStride;
        const p = [Number(world[o]), Number(world[o + 1]), Number(world[o + 2])];
        const c3 = worldStride === 4 ? Number(world[o + 3]) : conf;
        if (c3 > 0 && p.every(Number.isFinite)) kp3.set([p[0]!, p[1]!, p[2]!, Math.min(c3, 1)], (f * K + k) * 4);
      }
    }
  });
  return { numFrames: F, keypoints2d: kp2, keypoints3d: kp3 };
}

function readOptions(options: FitBodyOptions) {
  if (typeof options !== 'object' || options === null) throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  const fovYDegrees = options.fovYDegrees ?? DEFAULT_FOV_Y_DEGREES;
  if (typeof fovYDegrees !== 'number' || !(fovYDegrees > 1 && fovYDegrees < 179)) {
    throw new AvatarInputError(`options.fovYDegrees: expected a number of degrees in (1, 179), got ${describeValue(fovYDegrees)}`);
  }
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1) throw new AvatarInputError(`options.iterations: expected a positive integer, got ${describeValue(iterations)}`);
  const weights: FitWeights = { ...DEFAULT_FIT_WEIGHTS };
  for (const [name, value] of Object.entries(options.weights ?? {})) {
    if (!(name in DEFAULT_FIT_WEIGHTS)) throw new AvatarInputError(`options.weights.${name}: unknown weight (expected one of ${Object.keys(DEFAULT_FIT_WEIGHTS).join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new AvatarInputError(`options.weights.${name}: expected a finite number ≥ 0, got ${describeValue(value)}`);
    weights[name as keyof FitWeights] = value;
  }
  if (!(weights.reprojectionSigma > 0) || !(weights.landmarks3dSigma > 0)) throw new AvatarInputError('options.weights: expected reprojectionSigma and landmarks3dSigma > 0');
  if (options.signal !== undefined && !(typeof options.signal === 'object' && options.signal !== null && 'aborted' in options.signal)) {
    throw new AvatarInputError(`options.signal: expected an AbortSignal, got ${describeValue(options.signal)}`);
  }
  return { fovYDegrees, iterations, weights, refineFocal: options.refineFocal ?? true };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('fitBodyToKeypoints: aborted');
}

