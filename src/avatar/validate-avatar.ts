/**
 * Consistency checks of an Avatar's arrays, shared by `saveAvatar` (bad argument → AvatarInputError)
 * and `loadAvatar` (bad file → AvatarFormatError). Every message names the field, e.g.
 * `gaussians.weights: row 12 sums to 0.5, expected 1 (±0.001)`.
 */
import { describeValue, type GaussianAvatarError } from '../errors.js';
import type { AppearanceNetworkWeights, Avatar, CanonicalGaussians } from './types.js';

export type ErrorClass = new (message: string) => GaussianAvatarError;

/** Largest UV map resolution an avatar may declare (as in rasterizeUvSurface). */
export const MAX_RESOLUTION = 4096;

/** Tolerance of the skinning-weight row sums (float32 storage of barycentric blends). */
const WEIGHT_SUM_TOLERANCE = 1e-3;

/** Checks that `value` is a Float32Array of `length` finite numbers. */
export function checkFloats(Err: ErrorClass, field: string, value: unknown, length: number, shape: string): Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new Err(`${field}: expected ${shape} float32 (Float32Array), got ${describeValue(value)}`);
  }
  if (value.length !== length) throw new Err(`${field}: expected ${shape} = ${length} float32 values, got ${value.length}`);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(value[i]!)) throw new Err(`${field}: expected finite numbers, element ${i} is ${value[i]}`);
  }
  return value;
}

function checkCount(Err: ErrorClass, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Err(`${field}: expected an integer in ${min}…${max}, got ${describeValue(value)}`);
  }
  return value;
}

/** Checks the canonical Gaussians against each other and the joint count J. */
export function checkGaussians(Err: ErrorClass, g: CanonicalGaussians, J: number, prefix = 'gaussians'): void {
  if (typeof g !== 'object' || g === null) throw new Err(`${prefix}: expected an object, got ${describeValue(g)}`);
  const R = checkCount(Err, `${prefix}.resolution`, g.resolution, 1, MAX_RESOLUTION);
  const N = checkCount(Err, `${prefix}.count`, g.count, 0, R * R);
  if (!(g.texels instanceof Uint32Array)) {
    throw new Err(`${prefix}.texels: expected N uint32 (Uint32Array), got ${describeValue(g.texels)}`);
  }
  if (g.texels.length !== N) throw new Err(`${prefix}.texels: expected N = ${N} values, got ${g.texels.length}`);
  for (let i = 0; i < N; i++) {
    const t = g.texels[i]!;
    if (t >= R * R) throw new Err(`${prefix}.texels: element ${i} is ${t}, expected < R² = ${R * R}`);
    if (i > 0 && t <= g.texels[i - 1]!) {
      throw new Err(`${prefix}.texels: expected strictly increasing texel indices, element ${i} is ${t} after ${g.texels[i - 1]}`);
    }
  }
  checkFloats(Err, `${prefix}.positions`, g.positions, N * 3, `N×3 = ${N}×3`);
  const weights = checkFloats(Err, `${prefix}.weights`, g.weights, N * J, `N×J = ${N}×${J}`);
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let j = 0; j < J; j++) {
      const w = weights[i * J + j]!;
      if (w < 0) throw new Err(`${prefix}.weights: expected non-negative weights, row ${i} joint ${j} is ${w}`);
      sum += w;
    }
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      throw new Err(`${prefix}.weights: row ${i} sums to ${sum}, expected 1 (±${WEIGHT_SUM_TOLERANCE})`);
    }
  }
  const colors = checkFloats(Err, `${prefix}.colors`, g.colors, N * 3, `N×3 = ${N}×3`);
  for (let i = 0; i < colors.length; i++) {
    if (colors[i]! < 0 || colors[i]! > 1) throw new Err(`${prefix}.colors: expected values in 0…1, element ${i} is ${colors[i]}`);
  }
  const scales = checkFloats(Err, `${prefix}.scales`, g.scales, N, `N = ${N}`);
  for (let i = 0; i < N; i++) {
    if (!(scales[i]! > 0)) throw new Err(`${prefix}.scales: expected positive σ (metres), element ${i} is ${scales[i]}`);
  }
}

/** Checks the network's architecture name, config values and tensors. */
export function checkNetwork(Err: ErrorClass, network: AppearanceNetworkWeights, prefix = 'network'): void {
  if (typeof network !== 'object' || network === null) {
    throw new Err(`${prefix}: expected an object or undefined, got ${describeValue(network)}`);
  }
  if (typeof network.architecture !== 'string' || network.architecture === '') {
    throw new Err(`${prefix}.architecture: expected a non-empty string, got ${describeValue(network.architecture)}`);
  }
  const config = network.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Err(`${prefix}.config: expected an object of numbers, strings and booleans, got ${describeValue(config)}`);
  }
  for (const [key, value] of Object.entries(config)) {
    const ok = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new Err(`${prefix}.config.${key}: expected a finite number, string or boolean, got ${describeValue(value)}`);
  }
  const tensors = network.tensors;
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors)) {
    throw new Err(`${prefix}.tensors: expected an object of named tensors, got ${describeValue(tensors)}`);
  }
  for (const [name, tensor] of Object.entries(tensors)) {
    const field = `${prefix}.tensors.${name}`;
    if (name === '') throw new Err(`${prefix}.tensors: tensor names must be non-empty`);
    if (typeof tensor !== 'object' || tensor === null) throw new Err(`${field}: expected { shape, data }, got ${describeValue(tensor)}`);
    const shape = tensor.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Err(`${field}.shape: expected an array of non-negative integers, got ${describeValue(shape)}`);
    }
    const length = shape.reduce((a, b) => a * b, 1);
    checkFloats(Err, `${field}.data`, tensor.data, length, `(${shape.join('×')})`);
  }
}

/**
 * Checks an Avatar whose body is already known to be valid: betas, canonical transforms,
 * Gaussians, network and metadata, against the body's joint count J and shape count B.
 */
export function checkAvatarContents(Err: ErrorClass, avatar: Avatar, J: number, B: number): void {
  checkFloats(Err, 'betas', avatar.betas, B, `numBetas = ${B}`);
  checkFloats(Err, 'canonicalTransforms', avatar.canonicalTransforms, J * 16, `J×16 = ${J}×16`);
  checkGaussians(Err, avatar.gaussians, J);
  if (avatar.network !== undefined) checkNetwork(Err, avatar.network);
  const meta = avatar.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new Err(`metadata: expected an object, got ${describeValue(meta)}`);
  }
  if (typeof meta.createdAt !== 'string') throw new Err(`metadata.createdAt: expected an ISO 8601 string, got ${describeValue(meta.createdAt)}`);
  if (typeof meta.generator !== 'string') throw new Err(`metadata.generator: expected a string, got ${describeValue(meta.generator)}`);
  if (meta.name !== undefined && typeof meta.name !== 'string') {
    throw new Err(`metadata.name: expected a string or undefined, got ${describeValue(meta.name)}`);
  }
}
