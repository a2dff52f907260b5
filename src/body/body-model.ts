/**
 * `createBodyModel`: an SMPL-convention body model evaluated in WebAssembly, with exact reverse-mode
 * gradients. The model's arrays are copied into WASM memory once; every call reuses the same
 * per-model buffers, so a call allocates only its returned arrays.
 *
 * Semantics are smplx `lbs()`, with one deliberate difference: Rodrigues is exact (smplx takes the
 * angle of `pose + 1e-8`; the two differ by < 1e-8 rad) and has a proper small-angle limit, so the
 * gradient at the zero pose is exact. Precision: the mesh path runs in f32 (SIMD), rotations, FK and
 * joint regression in f64; vertices, joints and transforms agree with an f64 reference to ~1e-6 m.
 */
import { AvatarInputError } from '../errors.js';
import type { BodyForwardResult, BodyGradients, BodyModel, BodyModelData, BodyParams } from './types.js';
import { checkBodyParams, checkNumbers, validateBodyModelData, type BodyModelSizes } from './validate.js';
import { loadBodyWasm, type BodyField, type BodyWasm } from './wasm.js';

/**
 * Builds a body model from raw SMPL-convention arrays (see BodyModelData for layouts). Validates the
 * data first (AvatarFormatError naming the field). Precomputes J_regressor·v_template and
 * J_regressor·shapedirs, which is exactly equivalent to regressing joints from the shaped mesh.
 */
export async function createBodyModel(data: BodyModelData): Promise<BodyModel> {
  const sizes = validateBodyModelData(data);
  const wasm = await loadBodyWasm();
  return new WasmBodyModel(wasm, data, sizes);
}

class WasmBodyModel implements BodyModel {
  readonly numVertices: number;
  readonly numJoints: number;
  readonly numBetas: number;
  private desc: number;
  private readonly ptr: Record<BodyField, number>;
  private readonly paddedBetas: number;

  constructor(private readonly wasm: BodyWasm, readonly data: BodyModelData, sizes: BodyModelSizes) {
    const { numVertices: V, numJoints: J, numBetas: B, numPoseFeatures: P } = sizes;
    this.numVertices = V;
    this.numJoints = J;
    this.numBetas = B;
    const sparse = sparseWeights(data.weights, V, J);
    this.desc = wasm.exports.createBody(V, J, B, P, sparse.joint.length);
    const table = wasm.i32(this.desc, wasm.field('F_COUNT'));
    const ptr = {} as Record<BodyField, number>;
    for (const name of FIELDS) ptr[name] = table[wasm.field(name)]!;
    this.ptr = ptr;
    this.paddedBetas = table[wasm.field('F_BP')]!;
    const PP = table[wasm.field('F_PP')]!;
    // Views are made after createBody (it may have grown memory) and used before the next call.
    wasm.f32(ptr.F_V_TEMPLATE, V * 3).set(data.vTemplate);
    copyRows(wasm.f32(ptr.F_SHAPEDIRS, V * 3 * this.paddedBetas), data.shapedirs, V * 3, B, this.paddedBetas);
    if (P > 0) copyRows(wasm.f32(ptr.F_POSEDIRS, V * 3 * PP), data.posedirs, V * 3, P, PP);
    wasm.i32(ptr.F_PARENTS, J).set(data.parents);
    wasm.i32(ptr.F_W_START, V + 1).set(sparse.start);
    wasm.i32(ptr.F_W_JOINT, sparse.joint.length).set(sparse.joint);
    wasm.f32(ptr.F_W_VALUE, sparse.value.length).set(sparse.value);
    wasm.f32(ptr.F_J_REGRESSOR, J * V).set(data.jRegressor);
    wasm.exports.precomputeJoints(this.desc);
  }

  get parents(): Int32Array { return this.data.parents; }
  get faces(): Uint32Array { return this.data.faces; }
  get uvs(): Float32Array | undefined { return this.data.uvs; }
  get uvFaces(): Uint32Array | undefined { return this.data.uvFaces; }
  get weights(): Float32Array { return this.data.weights; }

  forward(params: BodyParams): BodyForwardResult {
    this.writeParams(params);
    this.wasm.exports.bodyForward(this.desc);
    const { wasm, ptr, numVertices: V, numJoints: J } = this;
    return {
      vertices: wasm.f32(ptr.F_OUT_VERTS, V * 3).slice(),
      joints: wasm.f32(ptr.F_OUT_JOINTS, J * 3).slice(),
      transforms: wasm.f32(ptr.F_OUT_TRANSFORMS, J * 16).slice(),
    };
  }

  forwardTransforms(params: BodyParams): Pick<BodyForwardResult, 'joints' | 'transforms'> {
    this.writeParams(params);
    this.wasm.exports.bodyForwardTransforms(this.desc);
    const { wasm, ptr, numJoints: J } = this;
    return {
      joints: wasm.f32(ptr.F_OUT_JOINTS, J * 3).slice(),
      transforms: wasm.f32(ptr.F_OUT_TRANSFORMS, J * 16).slice(),
    };
  }

  backward(params: BodyParams, gradVertices: Float32Array): BodyGradients {
    const V = this.numVertices;
    const grad = checkNumbers('gradVertices', gradVertices, { length: V * 3 }, `${V * 3} finite numbers (V×3)`);
    this.writeParams(params);
    this.wasm.f32(this.ptr.F_GRAD_VERTS, V * 3).set(grad);
    this.wasm.exports.bodyBackward(this.desc);
    return this.readGradients();
  }

  backwardTransforms(params: BodyParams, gradTransforms: Float32Array): BodyGradients {
    const J = this.numJoints;
    const grad = checkNumbers(
      'gradTransforms', gradTransforms, { length: J * 16 }, `${J * 16} finite numbers (J×16 column-major)`,
    );
    this.writeParams(params);
    this.wasm.f32(this.ptr.F_GRAD_TRANSFORMS, J * 16).set(grad);
    this.wasm.exports.bodyBackwardTransforms(this.desc);
    return this.readGradients();
  }

  dispose(): void {
    if (this.desc === 0) return;
    this.wasm.exports.disposeBody(this.desc);
    this.desc = 0;
  }

  private writeParams(params: BodyParams): void {
    if (this.desc === 0) throw new AvatarInputError('BodyModel: used after dispose()');
    const { pose, betas, trans } = checkBodyParams(params, this.numJoints, this.numBetas);
    const { wasm, ptr } = this;
    wasm.f64(ptr.F_POSE, this.numJoints * 3).set(pose);
    const b = wasm.f32(ptr.F_BETAS, this.paddedBetas);
    b.fill(0);
    if (betas) b.set(betas);
    const t = wasm.f64(ptr.F_TRANS, 3);
    if (trans) t.set(trans);
    else t.fill(0);
  }

  private readGradients(): BodyGradients {
    const { wasm, ptr } = this;
    return {
      pose: wasm.f32(ptr.F_GRAD_POSE, this.numJoints * 3).slice(),
      trans: wasm.f32(ptr.F_GRAD_TRANS, 3).slice(),
      betas: wasm.f32(ptr.F_GRAD_BETAS, this.numBetas).slice(),
    };
  }
}

const FIELDS: BodyField[] = [
  'F_V_TEMPLATE', 'F_SHAPEDIRS', 'F_POSEDIRS', 'F_PARENTS', 'F_W_START', 'F_W_JOINT', 'F_W_VALUE',
  'F_J_REGRESSOR', 'F_BETAS', 'F_POSE', 'F_TRANS', 'F_GRAD_VERTS', 'F_GRAD_TRANSFORMS', 'F_OUT_VERTS',
  'F_OUT_JOINTS', 'F_OUT_TRANSFORMS', 'F_GRAD_POSE', 'F_GRAD_TRANS', 'F_GRAD_BETAS',
];

/** Copies `rows` rows of `width` into rows of `stride` (the zero padding is already there). */
function copyRows(dst: Float32Array, src: Float32Array, rows: number, width: number, stride: number): void {
  if (width === stride) {
    dst.set(src);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * width, (r + 1) * width), r * stride);
}

/** Skinning weights V×J as CSR: exact zeros are skipped (real SMPL has ≤ 4 non-zeros per vertex). */
function sparseWeights(weights: Float32Array, V: number, J: number) {
  const start = new Int32Array(V + 1);
  let nnz = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) nnz++;
  const joint = new Int32Array(nnz);
  const value = new Float32Array(nnz);
  let k = 0;
  for (let v = 0; v < V; v++) {
    start[v] = k;
    for (let j = 0; j < J; j++) {
      const w = weights[v * J + j]!;
      if (w !== 0) {
        joint[k] = j;
        value[k++] = w;
      }
    }
  }
  start[V] = k;
  return { start, joint, value };
}
