/**
 * Checks for body-model data (AvatarFormatError) and per-call parameters (AvatarInputError). Every
 * message names the field and what was expected, e.g. `pose: expected 72 finite numbers, got Float32Array(69)`.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import type { BodyModelData, BodyParams } from './types.js';

/** Sizes implied by a consistent BodyModelData. */
export interface BodyModelSizes {
  numVertices: number;
  numJoints: number;
  numBetas: number;
  /** 9·(J−1), or 0 when the model has no pose-corrective blend shapes. */
  numPoseFeatures: number;
}

type TypedArrayConstructor = Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor;

function typeName(ctor: TypedArrayConstructor): string {
  return ctor === Float32Array ? 'float32' : ctor === Int32Array ? 'int32' : 'uint32';
}

function requireArray(field: string, value: unknown, ctor: TypedArrayConstructor, shape: string, length?: number): void {
  if (!(value instanceof ctor)) {
    throw new AvatarFormatError(`${field}: expected ${shape} ${typeName(ctor)} (${ctor.name}), got ${describeValue(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new AvatarFormatError(`${field}: expected ${shape} ${typeName(ctor)}, got ${value.length} values`);
  }
}

function requireFinite(field: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new AvatarFormatError(`${field}: expected finite numbers, got ${values[i]} at index ${i}`);
    }
  }
}

/** Validates shapes, types, finiteness and consistency of `data`; returns the sizes. */
export function validateBodyModelData(data: BodyModelData): BodyModelSizes {
  if (typeof data !== 'object' || data === null) {
    throw new AvatarFormatError(`data: expected a BodyModelData object, got ${describeValue(data)}`);
  }
  requireArray('vTemplate', data.vTemplate, Float32Array, 'V×3');
  const V = data.vTemplate.length / 3;
  if (!Number.isInteger(V) || V < 1) {
    throw new AvatarFormatError(`vTemplate: expected V×3 float32 with V ≥ 1, got ${data.vTemplate.length} values`);
  }
  requireArray('parents', data.parents, Int32Array, 'J');
  const J = data.parents.length;
  if (J < 1) throw new AvatarFormatError('parents: expected at least one joint, got 0');
  if (data.parents[0] !== -1) {
    throw new AvatarFormatError(`parents: expected −1 for the root (joint 0), got ${data.parents[0]}`);
  }
  for (let j = 1; j < J; j++) {
    const p = data.parents[j]!;
    if (p < 0 || p >= j) {
      throw new AvatarFormatError(
        `parents: expected topological order (0 ≤ parents[j] < j), got parents[${j}] = ${p}`,
      );
    }
  }
  const B = data.numBetas;
  if (typeof B !== 'number' || !Number.isInteger(B) || B < 0) {
    throw new AvatarFormatError(`numBetas: expected an integer ≥ 0, got ${describeValue(B)}`);
  }
  requireArray('shapedirs', data.shapedirs, Float32Array, `V×3×B = ${V}×3×${B}`, V * 3 * B);
  const P = 9 * (J - 1);
  requireArray('posedirs', data.posedirs, Float32Array, `V×3×P = ${V}×3×${P} (or empty)`);
  if (data.posedirs.length !== 0 && data.posedirs.length !== V * 3 * P) {
    throw new AvatarFormatError(
      `posedirs: expected V×3×P = ${V}×3×${P} float32 (or empty), got ${data.posedirs.length} values`,
    );
  }
  requireArray('jRegressor', data.jRegressor, Float32Array, `J×V = ${J}×${V}`, J * V);
  requireArray('weights', data.weights, Float32Array, `V×J = ${V}×${J}`, V * J);
  requireArray('faces', data.faces, Uint32Array, 'F×3');
  if (data.faces.length % 3 !== 0) {
    throw new AvatarFormatError(`faces: expected F×3 uint32, got ${data.faces.length} values`);
  }
  for (let i = 0; i < data.faces.length; i++) {
    if (data.faces[i]! >= V) {
      throw new AvatarFormatError(`faces: expected vertex indices < V = ${V}, got ${data.faces[i]} at index ${i}`);
    }
  }
  if (data.uvs !== undefined || data.uvFaces !== undefined) {
    requireArray('uvs', data.uvs, Float32Array, 'T×2');
    const T = data.uvs!.length / 2;
    if (!Number.isInteger(T)) throw new AvatarFormatError(`uvs: expected T×2 float32, got ${data.uvs!.length} values`);
    requireFinite('uvs', data.uvs!);
    requireArray('uvFaces', data.uvFaces, Uint32Array, `F×3 = ${data.faces.length / 3}×3`, data.faces.length);
    for (let i = 0; i < data.uvFaces!.length; i++) {
      if (data.uvFaces![i]! >= T) {
        throw new AvatarFormatError(`uvFaces: expected uv indices < T = ${T}, got ${data.uvFaces![i]} at index ${i}`);
      }
    }
  }
  requireFinite('vTemplate', data.vTemplate);
  requireFinite('shapedirs', data.shapedirs);
  requireFinite('posedirs', data.posedirs);
  requireFinite('jRegressor', data.jRegressor);
  requireFinite('weights', data.weights);
  return { numVertices: V, numJoints: J, numBetas: B, numPoseFeatures: data.posedirs.length === 0 ? 0 : P };
}

/** True for number arrays and non-DataView typed arrays (strings and plain objects are not). */
function isNumberArrayLike(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Checks a number array argument: right kind, `length` (exact) or at most `maxLength`, all finite.
 * `shape` describes the expectation for the message, e.g. `72 finite numbers`.
 */
export function checkNumbers(
  field: string, value: unknown, want: { length?: number; maxLength?: number }, shape: string,
): ArrayLike<number> {
  const bad = () => new AvatarInputError(`${field}: expected ${shape}, got ${describeValue(value)}`);
  if (!isNumberArrayLike(value)) throw bad();
  if (want.length !== undefined && value.length !== want.length) throw bad();
  if (want.maxLength !== undefined && value.length > want.maxLength) throw bad();
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new AvatarInputError(`${field}: expected ${shape}, got ${String(x)} at index ${i}`);
    }
  }
  return value;
}

/** Validated view of BodyParams for a model with `numJoints` joints and `numBetas` betas. */
export interface CheckedParams {
  pose: ArrayLike<number>;
  betas: ArrayLike<number> | undefined;
  trans: ArrayLike<number> | undefined;
}

export function checkBodyParams(params: BodyParams, numJoints: number, numBetas: number): CheckedParams {
  if (typeof params !== 'object' || params === null || isNumberArrayLike(params)) {
    throw new AvatarInputError(`params: expected { pose, betas?, trans? }, got ${describeValue(params)}`);
  }
  const pose = checkNumbers('pose', params.pose, { length: numJoints * 3 }, `${numJoints * 3} finite numbers (J×3 axis-angle)`);
  const betas = params.betas === undefined
    ? undefined
    : checkNumbers('betas', params.betas, { maxLength: numBetas }, `at most ${numBetas} finite numbers`);
  const trans = params.trans === undefined
    ? undefined
    : checkNumbers('trans', params.trans, { length: 3 }, '3 finite numbers');
  return { pose, betas, trans };
}
