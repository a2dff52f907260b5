/**
 * Helpers that turn a decoded `NpyArray` (any numeric dtype, C or Fortran order) into the plain
 * C-order (row-major) typed arrays the SDK works with, with typed errors naming the field.
 */
import { AvatarFormatError } from '../errors.js';
import type { NpyArray, NpyData } from './npy.js';

/** `6890×3 <f4` (or `scalar <f4`), for error messages. */
export function describeNpy(array: NpyArray): string {
  return `${array.shape.length ? array.shape.join('×') : 'scalar'} ${array.dtype}`;
}

/** True for float, int, uint and bool arrays (not strings). */
export function isNumericNpy(array: NpyArray): boolean {
  return !Array.isArray(array.data);
}

/**
 * The elements in C (row-major) order: `data` itself when the file was C order, else a reordered
 * copy of the same type.
 */
export function npyDataInCOrder(array: NpyArray): NpyData {
  const { data, shape } = array;
  if (!array.fortranOrder || shape.length < 2) return data;
  const n = data.length;
  const out = (Array.isArray(data) ? new Array<string>(n) : new (data.constructor as new (n: number) => NpyData)(n)) as
    | string[]
    | Float64Array;
  const src = data as unknown as ArrayLike<number>;
  // Fortran strides: the first axis varies fastest.
  const rank = shape.length;
  const strides = new Array<number>(rank);
  for (let k = 0, s = 1; k < rank; k++) {
    strides[k] = s;
    s *= shape[k];
  }
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < n; i++) {
    (out as unknown as unknown[])[i] = src[from];
    // Advance the C-order multi-index (last axis fastest) and the Fortran offset with it.
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      from += strides[k];
      if (index[k] < shape[k]) break;
      from -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out as NpyData;
}

function requireNumeric(array: NpyArray, label: string, expected: string): void {
  if (!isNumericNpy(array)) {
    throw new AvatarFormatError(`${label}: expected ${expected}, got ${describeNpy(array)} (strings)`);
  }
}

/**
 * C-order Float64Array of any numeric array (64-bit integers beyond 2^53 lose precision, as in numpy's
 * float conversion).
 */
export function npyToFloat64(array: NpyArray, label: string): Float64Array {
  requireNumeric(array, label, 'a numeric array');
  const data = npyDataInCOrder(array) as Exclude<NpyData, string[]>;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
    return out;
  }
  // `new Float64Array(typedArray)` converts natively (much faster than `Float64Array.from`).
  return data instanceof Float64Array && data !== array.data ? data : new Float64Array(data as Float32Array);
}

/**
 * Throws AvatarFormatError unless `array.shape` matches `dims` (`null` = any size on that axis),
 * e.g. `requireNpyShape(poses, 'poses', [null, 72])` → `poses: expected N×72, got 10×69 <f8`.
 */
export function requireNpyShape(array: NpyArray, label: string, dims: readonly (number | null)[]): void {
  const ok = array.shape.length === dims.length && dims.every((d, i) => d === null || d === array.shape[i]);
  if (!ok) {
    const want = dims.length ? dims.map((d, i) => d ?? 'NMKL'[i % 4]).join('×') : 'a scalar';
    throw new AvatarFormatError(`${label}: expected ${want}, got ${describeNpy(array)}`);
  }
}

/**
 * C-order Float32Array of a numeric array. With `finite` (default true) any NaN/±Infinity, or a
 * value beyond float32's range, is an AvatarFormatError naming the field and the element. With
 * `shape`, the array's shape is checked first (see `requireNpyShape`).
 */
export function npyToFloat32(
  array: NpyArray, label: string, options: { finite?: boolean; shape?: readonly (number | null)[] } = {},
): Float32Array {
  requireNumeric(array, label, 'a float array');
  if (options.shape) requireNpyShape(array, label, options.shape);
  const data = npyDataInCOrder(array) as Exclude<NpyData, string[]>;
  let out: Float32Array;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else {
    out = data instanceof Float32Array && data !== array.data ? data : new Float32Array(data as Float64Array);
  }
  if (options.finite ?? true) {
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) {
        throw new AvatarFormatError(`${label}: expected finite numbers, element ${i} is ${out[i]}`);
      }
    }
  }
  return out;
}

/**
 * C-order Float64Array of an integer-valued array (int, uint or bool dtypes, or floats holding whole
 * numbers), for index arrays such as faces and kinematic trees.
 */
export function npyToIntegers(array: NpyArray, label: string): Float64Array {
  requireNumeric(array, label, 'an integer array');
  const out = npyToFloat64(array, label);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isInteger(out[i])) {
      throw new AvatarFormatError(`${label}: expected integers, element ${i} is ${out[i]} (${describeNpy(array)})`);
    }
  }
  return out;
}
