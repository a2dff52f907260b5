// Input checks for the splat renderers (rasterizer and drawer). They run in JS before anything
// touches the GPU, so bad input becomes an AvatarInputError naming the field and the device never
// sees it.
import { AvatarInputError, WebGPUUnavailableError, describeValue } from '../errors.js';
import type { SplatCamera, SplatScene } from './raster-types.js';

/** Default near plane (metres): Gaussians closer than this to the camera plane are culled. */
export const DEFAULT_NEAR = 0.01;

function isNumericArray(value: unknown): value is ArrayLike<number> {
  return (ArrayBuffer.isView(value) && !(value instanceof DataView)) || Array.isArray(value);
}

function checkFinite(field: string, values: ArrayLike<number>, expected: string): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new AvatarInputError(`${field}: expected ${expected}, got ${describeValue(x)} at index ${i}`);
    }
  }
}

function checkFloatArray(field: string, value: unknown, length: number, expected: string): Float32Array {
  if (!(value instanceof Float32Array) || value.length !== length) {
    throw new AvatarInputError(`${field}: expected ${expected}, got ${describeValue(value)}`);
  }
  checkFinite(field, value, expected);
  return value;
}

/** Checks an image size option: a positive integer no larger than `max`. */
export function checkDimension(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new AvatarInputError(`${field}: expected an integer in 1…${max}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The checks every splat renderer's factory starts with: WebGPU present, a real GPUDevice, and an
 * options object whose width and height fit the device's textures. `factory` names the caller in
 * the WebGPUUnavailableError.
 */
export function checkSplatTarget(factory: string, device: unknown, options: unknown): { width: number; height: number } {
  if (typeof GPUDevice === 'undefined') {
    throw new WebGPUUnavailableError(`${factory}: WebGPU is not available in this context (no GPUDevice); get a device with requestGpuDevice()`);
  }
  if (!(device instanceof GPUDevice)) {
    throw new AvatarInputError(`device: expected a GPUDevice (from requestGpuDevice()), got ${describeValue(device)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected { width, height, maxGaussians }, got ${describeValue(options)}`);
  }
  const maxSide = device.limits.maxTextureDimension2D;
  const { width, height } = options as { width?: unknown; height?: unknown };
  return { width: checkDimension('options.width', width, maxSide), height: checkDimension('options.height', height, maxSide) };
}

/** A validated scene: N and the background as three finite numbers. */
export interface CheckedScene {
  count: number;
  opacities: Float32Array | undefined;
  background: [number, number, number];
}

/** Checks lengths, finiteness and ranges of a scene; returns N. */
export function validateScene(scene: SplatScene, maxGaussians: number): CheckedScene {
  if (scene === null || typeof scene !== 'object') {
    throw new AvatarInputError(`scene: expected an object { means, scales, colors, opacities?, background? }, got ${describeValue(scene)}`);
  }
  if (!(scene.scales instanceof Float32Array)) {
    throw new AvatarInputError(`scene.scales: expected Float32Array(N) of σ ≥ 0, got ${describeValue(scene.scales)}`);
  }
  const n = scene.scales.length;
  if (n > maxGaussians) {
    throw new AvatarInputError(`scene.scales: expected at most maxGaussians = ${maxGaussians} Gaussians, got ${n}`);
  }
  checkFloatArray('scene.means', scene.means, n * 3, `Float32Array(${n * 3}) of finite numbers (N×3, N = scales.length = ${n})`);
  checkFloatArray('scene.scales', scene.scales, n, `Float32Array(${n}) of finite σ ≥ 0`);
  for (let i = 0; i < n; i++) {
    if (!(scene.scales[i] >= 0)) throw new AvatarInputError(`scene.scales: expected σ ≥ 0, got ${scene.scales[i]} at index ${i}`);
  }
  checkFloatArray('scene.colors', scene.colors, n * 3, `Float32Array(${n * 3}) of finite numbers (N×3 RGB)`);
  let opacities: Float32Array | undefined;
  if (scene.opacities !== undefined) {
    opacities = checkFloatArray('scene.opacities', scene.opacities, n, `Float32Array(${n}) of numbers in [0, 1]`);
    for (let i = 0; i < n; i++) {
      if (!(opacities[i] >= 0 && opacities[i] <= 1)) {
        throw new AvatarInputError(`scene.opacities: expected numbers in [0, 1], got ${opacities[i]} at index ${i}`);
      }
    }
  }
  let background: [number, number, number] = [0, 0, 0];
  if (scene.background !== undefined) {
    const bg = scene.background;
    if (!isNumericArray(bg) || bg.length !== 3) {
      throw new AvatarInputError(`scene.background: expected 3 finite numbers (RGB), got ${describeValue(bg)}`);
    }
    checkFinite('scene.background', bg, '3 finite numbers (RGB)');
    background = [bg[0], bg[1], bg[2]];
  }
  return { count: n, opacities, background };
}

/** A validated camera, unpacked. */
export interface CheckedCamera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /** World→camera, column-major, 16 numbers. */
  view: Float32Array;
  near: number;
}

/** Checks K, view, near and that the camera's image size is the rasterizer's. */
export function validateCamera(camera: SplatCamera, width: number, height: number): CheckedCamera {
  if (camera === null || typeof camera !== 'object') {
    throw new AvatarInputError(`camera: expected an object { width, height, K, view, near? }, got ${describeValue(camera)}`);
  }
  if (camera.width !== width || camera.height !== height) {
    throw new AvatarInputError(
      `camera.width/height: expected ${width}×${height} (the rasterizer's size), got ${describeValue(camera.width)}×${describeValue(camera.height)}`,
    );
  }
  const K = camera.K;
  if (!isNumericArray(K) || K.length !== 9) {
    throw new AvatarInputError(`camera.K: expected 9 finite numbers (3×3 column-major intrinsics), got ${describeValue(K)}`);
  }
  checkFinite('camera.K', K, '9 finite numbers (3×3 column-major intrinsics)');
  if (K[1] !== 0 || K[2] !== 0 || K[3] !== 0 || K[5] !== 0 || K[8] !== 1 || !(K[0] > 0) || !(K[4] > 0)) {
    throw new AvatarInputError(
      `camera.K: expected column-major [fx, 0, 0, 0, fy, 0, cx, cy, 1] with fx, fy > 0 and zero skew, got [${Array.from(K).join(', ')}]`,
    );
  }
  const view = camera.view;
  if (!isNumericArray(view) || view.length !== 16) {
    throw new AvatarInputError(`camera.view: expected 16 finite numbers (4×4 column-major world→camera), got ${describeValue(view)}`);
  }
  checkFinite('camera.view', view, '16 finite numbers (4×4 column-major world→camera)');
  if (view[3] !== 0 || view[7] !== 0 || view[11] !== 0 || view[15] !== 1) {
    throw new AvatarInputError(
      `camera.view: expected last row [0, 0, 0, 1] (column-major entries 3, 7, 11, 15), got [${view[3]}, ${view[7]}, ${view[11]}, ${view[15]}]`,
    );
  }
  const near = camera.near ?? DEFAULT_NEAR;
  if (typeof near !== 'number' || !Number.isFinite(near) || near <= 0) {
    throw new AvatarInputError(`camera.near: expected a finite number > 0, got ${describeValue(near)}`);
  }
  return { fx: K[0], fy: K[4], cx: K[6], cy: K[7], view: Float32Array.from(view), near };
}

/** Checks the upstream image gradient of `gradients()`: H×W×3 finite numbers. */
export function validateGradImage(gradImage: unknown, width: number, height: number): Float32Array {
  return checkFloatArray('gradImage', gradImage, width * height * 3, `Float32Array(${width * height * 3}) of finite numbers (H×W×3, row-major)`);
}
