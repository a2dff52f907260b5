/**
 * JS side of the keypoint-fit objective in WebAssembly (asm/keypoint_fit.ts): copies the keypoints,
 * landmark map and weights into a fit descriptor once, then evaluates loss + exact gradient at
 * the parameter vector that lives in WASM memory.
 *
 * Parameter vector (f64, length B + 1 + F·75): [β (B)] [log focal (1)] then per frame
 * [pose (72 axis-angle, root first)] [trans (3, metres)].
 */
import { AvatarInputError } from '../errors.js';
import type { BodyModel } from '../body/types.js';
import { loadBodyWasm, type BodyWasm } from '../body/wasm.js';
import type { LandmarkMap } from './joint-map.js';

/** Raw scalar weights of the WASM objective (units as in asm/fit_layout.ts W_*). */
export interface ObjectiveWeights {
  w2d: number;
  sigma2d: number; // pixels
  w3d: number;
  sigma3d: number; // metres
  limit: number;
  shape: number;
  smoothPose: number;
  smoothTrans: number;
  focal: number;
  logFocalPrior: number;
  cx: number;
  cy: number;
  hipLeft: number;
  hipRight: number;
  /** Share of the 3D residual's camera-x/y part (its depth part has weight 1). */
  w3dImagePlane: number;
}

export interface FitObjectiveInput {
  numFrames: number;
  /** F×K×3: u, v (pixels), confidence (0 = ignored). */
  keypoints2d: Float64Array;
  /** F×K×4: x, y, z (m, hip-centred, camera axes), confidence; omit for no 3D term. */
  keypoints3d?: Float64Array;
  map: LandmarkMap;
  weights: ObjectiveWeights;
  /** 3J: L2 weight of each pose component. */
  poseWeights: Float64Array;
  /** 3J: +1 penalise positive values, −1 negative, 0 no limit. */
  limitSigns: Float64Array;
}

export interface ObjectiveTerms {
  reprojection: number;
  landmarks3d: number;
  pose: number;
  jointLimits: number;
  shape: number;
  smoothPose: number;
  smoothTranslation: number;
  focal: number;
}

const WEIGHT_ORDER: (keyof ObjectiveWeights)[] = [
  'w2d', 'sigma2d', 'w3d', 'sigma3d', 'limit', 'shape', 'smoothPose', 'smoothTrans', 'focal', 'logFocalPrior',
  'cx', 'cy', 'hipLeft', 'hipRight', 'w3dImagePlane',
];

interface FitExports {
  createFit(F: number, K: number, E: number, B: number, J: number): number;
  disposeFit(desc: number): void;
  fitObjective(fit: number, body: number): number;
  fitLandmarks(fit: number, body: number, frame: number): void;
}

/** The body model's WASM descriptor (WasmBodyModel keeps it in a private field). */
function bodyDescriptor(body: BodyModel): number {
  const desc = (body as unknown as { desc?: unknown }).desc;
  if (typeof desc !== 'number' || desc === 0) throw new AvatarInputError('body: expected a live BodyModel from createBodyModel / createDefaultBody');
  return desc;
}

export class FitObjective {
  readonly numParams: number;
  readonly numFrames: number;
  readonly numBetas: number;
  readonly numLandmarks: number;
  private desc: number;
  private readonly exports: FitExports;
  private readonly fields: Record<string, number> = {};
  private readonly table: Record<string, number> = {};

  private constructor(private readonly wasm: BodyWasm, private readonly body: BodyModel, input: FitObjectiveInput) {
    this.exports = wasm.exports as unknown as FitExports;
    const globals = (name: string) => ((wasm.exports as unknown as Record<string, WebAssembly.Global>)[name]!).value as number;
    const F = input.numFrames, K = input.map.length, B = body.numBetas, J = body.numJoints;
    const terms = input.map.flatMap((list) => list);
    this.numFrames = F;
    this.numBetas = B;
    this.numLandmarks = K;
    this.desc = this.exports.createFit(F, K, terms.length, B, J);
    for (const name of [
      'FT_PARAM_COUNT', 'FT_PARAMS', 'FT_KP2D', 'FT_KP3D', 'FT_ENTRY_START', 'FT_ENTRY_SOURCE', 'FT_ENTRY_WEIGHT',
      'FT_LANDMARK_WEIGHT', 'FT_POSE_WEIGHT', 'FT_LIMIT_SIGN', 'FT_WEIGHTS', 'FT_GRAD', 'FT_TERMS', 'FT_FRAME_ERROR',
      'FT_POINTS', 'FT_COUNT', 'W_COUNT', 'T_COUNT',
    ]) this.fields[name] = globals(name);
    const row = wasm.i32(this.desc, this.fields.FT_COUNT!);
    for (const name of Object.keys(this.fields)) if (name.startsWith('FT_') && name !== 'FT_COUNT') this.table[name] = row[this.fields[name]!]!;
    this.numParams = this.table.FT_PARAM_COUNT!;

    const start = new Int32Array(K + 1), source = new Int32Array(terms.length), weight = new Float64Array(terms.length);
    let e = 0;
    input.map.forEach((list, k) => {
      start[k] = e;
      for (const t of list) {
        source[e] = t.kind === 'joint' ? t.index : -1 - t.index;
        weight[e++] = t.weight;
      }
    });
    start[K] = e;
    wasm.i32(this.ptr('FT_ENTRY_START'), K + 1).set(start);
    wasm.i32(this.ptr('FT_ENTRY_SOURCE'), terms.length).set(source);
    wasm.f64(this.ptr('FT_ENTRY_WEIGHT'), terms.length).set(weight);
    wasm.f64(this.ptr('FT_KP2D'), F * K * 3).set(input.keypoints2d);
    if (input.keypoints3d) wasm.f64(this.ptr('FT_KP3D'), F * K * 4).set(input.keypoints3d);
    wasm.f64(this.ptr('FT_POSE_WEIGHT'), 3 * J).set(input.poseWeights);
    wasm.f64(this.ptr('FT_LIMIT_SIGN'), 3 * J).set(input.limitSigns);
    this.landmarkWeights.fill(1);
    this.setWeights(input.weights);
  }

  /** Builds the descriptor. The objective borrows `body` (it overwrites its pose buffers on each call). */
  static async create(body: BodyModel, input: FitObjectiveInput): Promise<FitObjective> {
    const wasm = await loadBodyWasm();
    const K = input.map.length;
    for (const list of input.map) {
      for (const t of list) {
        const limit = t.kind === 'joint' ? body.numJoints : body.numVertices;
        if (!Number.isInteger(t.index) || t.index < 0 || t.index >= limit || !Number.isFinite(t.weight)) {
          throw new AvatarInputError(`landmarkMap: expected ${t.kind} indices in 0…${limit - 1} and finite weights, got ${t.index} (weight ${t.weight})`);
        }
      }
    }
    if (input.keypoints2d.length !== input.numFrames * K * 3) throw new AvatarInputError(`keypoints2d: expected ${input.numFrames * K * 3} numbers, got ${input.keypoints2d.length}`);
    return new FitObjective(wasm, body, input);
  }

  private live(): number {
    if (this.desc === 0) throw new AvatarInputError('FitObjective: used after dispose()');
    return this.desc;
  }

  private ptr(name: string): number {
    this.live();
    return this.table[name]!;
  }

  /** The parameter vector in WASM memory (a fresh view: memory may have grown since the last one). */
  get params(): Float64Array { return this.wasm.f64(this.ptr('FT_PARAMS'), this.numParams); }
  /** ∂loss/∂params from the last evaluate(). */
  get gradient(): Float64Array { return this.wasm.f64(this.ptr('FT_GRAD'), this.numParams); }
  /** K per-landmark multipliers of the data terms (1 by default). */
  get landmarkWeights(): Float64Array { return this.wasm.f64(this.ptr('FT_LANDMARK_WEIGHT'), this.numLandmarks); }
  /** Per-frame mean reprojection error (px) from the last evaluate(). */
  get frameErrors(): Float64Array { return this.wasm.f64(this.ptr('FT_FRAME_ERROR'), this.numFrames); }

  setWeights(weights: ObjectiveWeights): void {
    const w = this.wasm.f64(this.ptr('FT_WEIGHTS'), this.fields.W_COUNT!);
    WEIGHT_ORDER.forEach((name, i) => (w[i] = weights[name]));
  }

  /** Replaces the 2D keypoints (F×K×3: u, v pixels, confidence), e.g. targets that change between rounds of a fit. */
  setKeypoints2d(keypoints2d: Float64Array): void {
    const n = this.numFrames * this.numLandmarks * 3;
    if (keypoints2d.length !== n) throw new AvatarInputError(`keypoints2d: expected ${n} numbers, got ${keypoints2d.length}`);
    this.wasm.f64(this.ptr('FT_KP2D'), n).set(keypoints2d);
  }

  setPoseWeights(poseWeights: Float64Array): void {
    this.wasm.f64(this.ptr('FT_POSE_WEIGHT'), poseWeights.length).set(poseWeights);
  }

  /** Loss at `params`; the gradient lands in `gradient`. */
  evaluate(): number {
    return this.exports.fitObjective(this.live(), bodyDescriptor(this.body));
  }

  /** Each term's value from the last evaluate(). */
  terms(): ObjectiveTerms {
    const t = this.wasm.f64(this.ptr('FT_TERMS'), this.fields.T_COUNT!);
    return {
      reprojection: t[0]!, landmarks3d: t[1]!, pose: t[2]!, jointLimits: t[3]!, shape: t[4]!, smoothPose: t[5]!,
      smoothTranslation: t[6]!, focal: t[7]!,
    };
  }

  /** Landmark positions (K×3, camera frame, metres) of frame `f` at the current params. */
  landmarks(f: number): Float64Array {
    this.exports.fitLandmarks(this.live(), bodyDescriptor(this.body), f);
    return this.wasm.f64(this.ptr('FT_POINTS'), this.numLandmarks * 3).slice();
  }

  dispose(): void {
    if (this.desc === 0) return;
    this.exports.disposeFit(this.desc);
    this.desc = 0;
  }
}
