/**
 * Pose math for the SDK, computed in WebAssembly (f64 inside, Float32Array out), batched over N items.
 * Layouts (all arrays flat, item after item):
 * - axis-angle: 3 per rotation (axis × angle in radians);
 * - 3×3 matrix: 9 per rotation, COLUMN-major (gl-matrix mat3);
 * - quaternion: 4 per rotation, (x, y, z, w) like gl-matrix quat;
 * - 6D: 6 per rotation, the first two matrix columns (Zhou et al. 2019), Gram–Schmidt on the way back;
 * - 4×4 transform: 16 per joint, column-major (gl-matrix mat4), metres.
 * Bad arguments throw AvatarInputError naming the argument.
 *
 * ```ts
 * const pm = await loadPoseMath();
 * const R = pm.axisAngleToMatrix([0, Math.PI / 2, 0]); // Float32Array(9), column-major
 * ```
 */
import { AvatarInputError } from '../errors.js';
import { checkNumbers } from './validate.js';
import { loadBodyWasm, type BodyWasm, type BodyWasmExports } from './wasm.js';

export interface PoseMath {
  /** N×3 axis-angle → N×9 column-major rotation matrices (Rodrigues). */
  axisAngleToMatrix(axisAngles: ArrayLike<number>): Float32Array;
  /** N×9 column-major rotation matrices → N×3 axis-angle, angle in [0, π]. */
  matrixToAxisAngle(matrices: ArrayLike<number>): Float32Array;
  /** N×3 axis-angle → N×4 unit quaternions (x, y, z, w). */
  axisAngleToQuat(axisAngles: ArrayLike<number>): Float32Array;
  /** N×4 quaternions (x, y, z, w; normalised here) → N×3 axis-angle, angle in [0, π]. */
  quatToAxisAngle(quats: ArrayLike<number>): Float32Array;
  /** N×4 quaternions (x, y, z, w; normalised here) → N×9 column-major matrices. */
  quatToMatrix(quats: ArrayLike<number>): Float32Array;
  /** N×9 column-major rotation matrices → N×4 unit quaternions (x, y, z, w) with w ≥ 0. */
  matrixToQuat(matrices: ArrayLike<number>): Float32Array;
  /** N×6 (first two columns) → N×9 column-major rotation matrices (Gram–Schmidt). */
  rotation6dToMatrix(rotations6d: ArrayLike<number>): Float32Array;
  /** N×9 column-major matrices → N×6 (their first two columns). */
  matrixToRotation6d(matrices: ArrayLike<number>): Float32Array;
  /** Slerp of N quaternion pairs (x, y, z, w) at one `t` in [0, 1], along the shorter arc; unit results. */
  slerpQuat(from: ArrayLike<number>, to: ArrayLike<number>, t: number): Float32Array;
  /**
   * Forward kinematics: J×9 column-major local rotations, J×3 rest joint positions (metres) and
   * `parents` (J, root −1 first, parents[j] < j) → J×16 column-major global transforms
   * G_j = G_parent·[R_j | J_j − J_parent] (G_0 = [R_0 | J_0]).
   */
  forwardKinematics(localRotations: ArrayLike<number>, restJoints: ArrayLike<number>, parents: ArrayLike<number>): Float32Array;
}

let instance: Promise<PoseMath> | undefined;

/** Loads the WebAssembly (once, shared with body models) and returns the pose-math functions. */
export function loadPoseMath(): Promise<PoseMath> {
  instance ??= loadBodyWasm().then(
    (wasm) => new WasmPoseMath(wasm),
    (error: unknown) => {
      instance = undefined; // let a later call retry
      throw error;
    },
  );
  return instance;
}

type BatchKernel = keyof Pick<
  BodyWasmExports,
  | 'axisAnglesToMatrices' | 'matricesToAxisAngles' | 'axisAnglesToQuats' | 'quatsToAxisAngles' | 'quatsToMatrices'
  | 'matricesToQuats' | 'rot6dsToMatrices' | 'matricesToRot6ds'
>;

/** Growable f64 scratch buffers in WASM memory, reused across calls. */
class Scratch {
  private ptrs: number[] = [];
  private sizes: number[] = [];
  constructor(private readonly wasm: BodyWasm) {}

  /** Pointer to scratch slot `slot` with room for `count` f64 (may grow memory: make views after). */
  get(slot: number, count: number): number {
    if ((this.sizes[slot] ?? 0) < count) {
      if (this.ptrs[slot]) this.wasm.exports.freeBuffer(this.ptrs[slot]!);
      const size = Math.max(count, 64);
      this.ptrs[slot] = this.wasm.exports.allocF64(size);
      this.sizes[slot] = size;
    }
    return this.ptrs[slot]!;
  }
}

class WasmPoseMath implements PoseMath {
  private readonly scratch: Scratch;
  constructor(private readonly wasm: BodyWasm) {
    this.scratch = new Scratch(wasm);
  }

  axisAngleToMatrix(a: ArrayLike<number>) { return this.batch('axisAngles', a, 3, 9, 'axisAnglesToMatrices'); }
  matrixToAxisAngle(m: ArrayLike<number>) { return this.batch('matrices', m, 9, 3, 'matricesToAxisAngles'); }
  axisAngleToQuat(a: ArrayLike<number>) { return this.batch('axisAngles', a, 3, 4, 'axisAnglesToQuats'); }
  quatToAxisAngle(q: ArrayLike<number>) { return this.batch('quats', q, 4, 3, 'quatsToAxisAngles', true); }
  quatToMatrix(q: ArrayLike<number>) { return this.batch('quats', q, 4, 9, 'quatsToMatrices', true); }
  matrixToQuat(m: ArrayLike<number>) { return this.batch('matrices', m, 9, 4, 'matricesToQuats'); }
  rotation6dToMatrix(d: ArrayLike<number>) { return this.batch('rotations6d', d, 6, 9, 'rot6dsToMatrices', true); }
  matrixToRotation6d(m: ArrayLike<number>) { return this.batch('matrices', m, 9, 6, 'matricesToRot6ds'); }

  slerpQuat(from: ArrayLike<number>, to: ArrayLike<number>, t: number): Float32Array {
    const n = countItems('from', from, 4, 'quaternions (x, y, z, w)');
    checkNumbers('to', to, { length: from.length }, `${from.length} finite numbers (like from)`);
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new AvatarInputError(`t: expected a finite number, got ${String(t)}`);
    }
    requireNonZeroQuats('from', from);
    requireNonZeroQuats('to', to);
    const a = this.scratch.get(0, n * 4), b = this.scratch.get(1, n * 4), out = this.scratch.get(2, n * 4);
    this.wasm.f64(a, n * 4).set(from);
    this.wasm.f64(b, n * 4).set(to);
    this.wasm.exports.quatsSlerp(n, a, b, t, out);
    return Float32Array.from(this.wasm.f64(out, n * 4));
  }

  forwardKinematics(localRotations: ArrayLike<number>, restJoints: ArrayLike<number>, parents: ArrayLike<number>): Float32Array {
    const J = countItems('parents', parents, 1, 'parent indices');
    checkNumbers('localRotations', localRotations, { length: J * 9 }, `${J * 9} finite numbers (J×9 column-major)`);
    checkNumbers('restJoints', restJoints, { length: J * 3 }, `${J * 3} finite numbers (J×3)`);
    for (let j = 0; j < J; j++) {
      const p = parents[j]!;
      const ok = j === 0 ? p === -1 : Number.isInteger(p) && p >= 0 && p < j;
      if (!ok) {
        throw new AvatarInputError(
          `parents: expected −1 for joint 0 and 0 ≤ parents[j] < j after it, got parents[${j}] = ${p}`,
        );
      }
    }
    const rot = this.scratch.get(0, J * 9), rest = this.scratch.get(1, J * 3), out = this.scratch.get(2, J * 16);
    const tmp = this.scratch.get(3, J * 21), par = this.scratch.get(4, J);
    this.wasm.f64(rot, J * 9).set(localRotations);
    this.wasm.f64(rest, J * 3).set(restJoints);
    this.wasm.i32(par, J).set(parents);
    this.wasm.exports.forwardKinematicsBatch(J, rot, rest, par, tmp, out);
    return Float32Array.from(this.wasm.f64(out, J * 16));
  }

  private batch(field: string, input: ArrayLike<number>, inSize: number, outSize: number, kernel: BatchKernel, nonZero = false): Float32Array {
    const n = countItems(field, input, inSize, `${inSize}-vectors`);
    if (nonZero) requireNonZero(field, input, inSize, inSize === 6 ? 3 : inSize);
    const inPtr = this.scratch.get(0, n * inSize), outPtr = this.scratch.get(1, n * outSize);
    this.wasm.f64(inPtr, n * inSize).set(input);
    this.wasm.exports[kernel](n, inPtr, outPtr);
    const out = Float32Array.from(this.wasm.f64(outPtr, n * outSize));
    if (kernel === 'rot6dsToMatrices' && out.some((x) => !Number.isFinite(x))) {
      throw new AvatarInputError(`${field}: expected two non-parallel, non-zero columns per rotation`);
    }
    return out;
  }
}

/** Validates a flat array of N items of `size` finite numbers; returns N. */
function countItems(field: string, values: ArrayLike<number>, size: number, what: string): number {
  const n = values && typeof values === 'object' ? (values.length ?? -1) / size : -1;
  const shape = `N×${size} finite numbers (${what})`;
  if (!Number.isInteger(n)) {
    throw new AvatarInputError(`${field}: expected ${shape}, got ${describeLength(values)}`);
  }
  checkNumbers(field, values, { length: values.length }, shape);
  return n;
}

function describeLength(values: unknown): string {
  if (values === null || typeof values !== 'object') return typeof values;
  const length = (values as { length?: unknown }).length;
  return typeof length === 'number' ? `${length} values` : (values as object).constructor?.name ?? 'object';
}

/** Every `size`-block must have a non-zero leading `span` (quaternions; the 6D first column). */
function requireNonZero(field: string, values: ArrayLike<number>, size: number, span: number): void {
  for (let i = 0; i < values.length; i += size) {
    let s = 0;
    for (let k = 0; k < span; k++) s += values[i + k]! * values[i + k]!;
    if (s === 0) throw new AvatarInputError(`${field}: expected non-zero vectors, got zeros at item ${i / size}`);
  }
}

function requireNonZeroQuats(field: string, values: ArrayLike<number>): void {
  requireNonZero(field, values, 4, 4);
}
