/**
 * `renderAvatarImage`: one frame of an avatar as a screen would show it, read back as ImageData —
 * for thumbnails, posters and image comparisons. The same renderer as playback (skinning, the
 * appearance network, splatting in linear RGB), sRGB-encoded by the same blit, drawn into an
 * offscreen rgba8unorm texture instead of a canvas.
 */
import type { Avatar } from '../avatar/types.js';
import { srgbToLinear } from '../color/srgb.js';
import { AvatarInputError, GpuDeviceError, describeValue } from '../errors.js';
import { requestGpuDevice } from '../gpu/device.js';
import { captureGpuErrors } from '../gpu/error-scope.js';
import { createAvatarRenderer, type AvatarRenderer } from './avatar-renderer.js';
import type { SplatCamera } from './raster-types.js';
import { checkDimension, validateCamera } from './validate-scene.js';

export interface RenderAvatarImageOptions {
  /** J×3 axis-angle rotations, radians, root first (J = avatar.body.numJoints; 72 for SMPL). */
  pose: Float32Array | ArrayLike<number>;
  /** Global translation, 3 numbers, metres. Default 0. */
  trans?: Float32Array | ArrayLike<number>;
  /**
   * The camera, as in `trainAvatar`: `{ width, height, K, view }` — image size in pixels, K 3×3
   * intrinsics column-major `[fx, 0, 0, 0, fy, 0, cx, cy, 1]`, view 4×4 world→camera
   * column-major, OpenCV axes (x right, y down, z forward), pixel centres at +0.5.
   */
  camera: SplatCamera;
  /** Background colour, 3 numbers 0…1, display sRGB like CSS colours. Default [0, 0, 0] (black). */
  background?: ArrayLike<number>;
  /** The WebGPU device to render on. Default: one the SDK requests (requestGpuDevice) and reuses across calls. */
  device?: GPUDevice;
}

/** Times a frame is redrawn after its tile intersection list overflowed (the list grows each time). */
const MAX_REDRAWS = 4;

let defaultDevice: Promise<GPUDevice> | undefined;

/**
 * `avatar` at `pose`/`trans` seen by `camera`, over `background`: the display-referred image a
 * screen shows (sRGB, 8 bits, opaque), `camera.width × camera.height` pixels. Rejects with
 * AvatarInputError naming the field on bad input (before any GPU work), WebGPUUnavailableError
 * without WebGPU, GpuDeviceError when the device fails or is lost while rendering.
 */
export async function renderAvatarImage(avatar: Avatar, options: RenderAvatarImageOptions): Promise<ImageData> {
  if (avatar === null || typeof avatar !== 'object' || !avatar.gaussians || !avatar.body) {
    throw new AvatarInputError(`avatar: expected an Avatar (createDefaultAvatar / loadAvatar / trainAvatar), got ${describeValue(avatar)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected { pose, trans?, camera, background?, device? }, got ${describeValue(options)}`);
  }
  const J = avatar.body.numJoints;
  checkNumbers('pose', options.pose, 3 * J, `J×3 = ${3 * J} finite numbers (axis-angle, root first)`);
  if (options.trans !== undefined) checkNumbers('trans', options.trans, 3, '3 finite numbers (metres)');
  const camera = options.camera;
  if (camera === null || typeof camera !== 'object') {
    throw new AvatarInputError(`camera: expected { width, height, K, view } (K 3×3, view 4×4, column-major, OpenCV), got ${describeValue(camera)}`);
  }
  const width = checkDimension('camera.width', camera.width, 16384);
  const height = checkDimension('camera.height', camera.height, 16384);
  validateCamera(camera, width, height);
  const background = [0, 0, 0];
  if (options.background !== undefined) {
    const b = options.background;
    checkNumbers('background', b, 3, '3 numbers in 0…1 (sRGB)');
    for (let c = 0; c < 3; c++) {
      if (!(b[c]! >= 0 && b[c]! <= 1)) throw new AvatarInputError(`background: expected 3 numbers in 0…1 (sRGB), got ${b[c]} at index ${c}`);
      background[c] = srgbToLinear(b[c]!);
    }
  }
  if (options.device !== undefined && !(typeof GPUDevice !== 'undefined' && options.device instanceof GPUDevice)) {
    throw new AvatarInputError(`device: expected a GPUDevice (requestGpuDevice) or undefined, got ${describeValue(options.device)}`);
  }

  const device = options.device ?? (await sharedDevice());
  const limit = device.limits.maxTextureDimension2D;
  if (width > limit || height > limit) {
    throw new AvatarInputError(`camera.width/height: expected at most ${limit} pixels per side (the device's maxTextureDimension2D), got ${width}×${height}`);
  }
  const renderer = createAvatarRenderer(device, avatar, { width, height });
  const texture = device.createTexture({
    label: 'renderAvatarImage target', size: [width, height], format: 'rgba8unorm',
    usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
  });
  const bytesPerRow = Math.ceil((4 * width) / 256) * 256;
  const readback = device.createBuffer({ label: 'renderAvatarImage readback', size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const frame = { pose: options.pose, trans: options.trans, camera, background };
    await drawChecked(device, renderer, texture, frame);
    // A frame whose tile lists overflowed dropped splats: grow the lists and draw it again.
    for (let k = 0; k < MAX_REDRAWS && (await renderer.checkCapacity()); k++) await drawChecked(device, renderer, texture, frame);
    const encoder = device.createCommandEncoder({ label: 'renderAvatarImage readback' });
    encoder.copyTextureToBuffer({ texture }, { buffer: readback, bytesPerRow }, [width, height]);
    device.queue.submit([encoder.finish()]);
    try {
      await readback.mapAsync(GPUMapMode.READ);
    } catch (cause) {
      throw new GpuDeviceError(`renderAvatarImage: reading the image back failed (device lost?): ${String(cause)}`, { cause });
    }
    const bytes = new Uint8Array(readback.getMappedRange());
    const image = new ImageData(width, height);
    for (let y = 0; y < height; y++) image.data.set(bytes.subarray(y * bytesPerRow, y * bytesPerRow + 4 * width), 4 * width * y);
    readback.unmap();
    return image;
  } finally {
    renderer.destroy();
    texture.destroy();
    readback.destroy();
  }
}

/** Encodes and submits one frame into `texture`; GPU validation / out-of-memory errors become GpuDeviceError. */
async function drawChecked(device: GPUDevice, renderer: AvatarRenderer, texture: GPUTexture, frame: Parameters<AvatarRenderer['encodeFrame']>[3]): Promise<void> {
  const { error } = captureGpuErrors(device, () => {
    const encoder = device.createCommandEncoder({ label: 'renderAvatarImage frame' });
    renderer.encodeFrame(encoder, texture.createView(), 'rgba8unorm', frame);
    device.queue.submit([encoder.finish()]);
  });
  const reported = await error;
  if (reported) throw new GpuDeviceError(`renderAvatarImage: the GPU reported an error: ${reported.message}`);
}

/** The SDK's own device for calls without one: requested once, requested again after it is lost. */
function sharedDevice(): Promise<GPUDevice> {
  if (!defaultDevice) {
    const request = requestGpuDevice({ label: 'gaussian-avatar renderAvatarImage' });
    const forget = () => {
      if (defaultDevice === request) defaultDevice = undefined;
    };
    request.then((device) => device.lost.then(forget), forget);
    defaultDevice = request;
  }
  return defaultDevice;
}

function checkNumbers(field: string, value: unknown, length: number, expected: string): void {
  const v = value as ArrayLike<unknown>;
  const isArray = (ArrayBuffer.isView(value) && !(value instanceof DataView)) || Array.isArray(value);
  if (!isArray || v.length !== length) throw new AvatarInputError(`${field}: expected ${expected}, got ${describeValue(value)}`);
  for (let i = 0; i < length; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw new AvatarInputError(`${field}: expected ${expected}, got ${describeValue(v[i])} at index ${i}`);
  }
}
