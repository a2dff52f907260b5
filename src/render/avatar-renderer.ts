/**
 * Real-time rendering of one avatar: owns its GPU resources and encodes one frame at a time,
 *
 *   pose, trans → skinning matrices M_j = T_live_j · T_canon_j⁻¹ (WASM body forward, CPU)
 *   → appearance: base colours/scales; for a trained avatar of APPEARANCE_ARCHITECTURE the GPU
 *     playback network (pose code → displaced centres, scales, colours, all on the GPU); for other
 *     network architectures the CPU `evaluateAppearance`
 *   → GPU skinning of the canonical (or displaced) centres → depth sort + tile binning + rasterise (splat rasterizer)
 *   → blit into a colour target (a canvas's current texture), sRGB-encoded.
 *
 * Colours: the avatar's colours, the rasterised image and `AvatarFrame.background` are linear
 * RGB (src/color/srgb.ts); only the blit encodes to sRGB for the screen.
 *
 * No readback on the frame path; the one asynchronous check (`checkCapacity`) grows the tile
 * intersection list when a frame overflowed it (the GPU entry points drop what does not fit).
 */
import { AvatarInputError, describeValue } from '../errors.js';
import { evaluateAppearance, skinningMatrices } from '../avatar/pose-avatar.js';
import type { Avatar } from '../avatar/types.js';
import { createPlaybackNetwork, type AppearanceNetwork } from '../train/appearance-network.js';
import { APPEARANCE_ARCHITECTURE } from '../train/appearance-config.js';
import { poseCode } from '../train/pose-code.js';
import { createGaussianSkinner, type GaussianSkinner } from './gaussian-skinning.js';
import type { SplatCamera } from './raster-types.js';
import { createSplatRasterizer, type SplatRasterizer } from './splat-rasterizer.js';

export interface AvatarRendererOptions {
  /** Image width in pixels (the canvas's backing width). */
  width: number;
  /** Image height in pixels. */
  height: number;
}

/** What one frame shows. */
export interface AvatarFrame {
  /** J×3 axis-angle rotations, radians, root first (J = avatar.body.numJoints). */
  pose: Float32Array | ArrayLike<number>;
  /** Global translation, 3 numbers, metres. Default 0. */
  trans?: Float32Array | ArrayLike<number>;
  /** The camera; its width/height must equal the renderer's. */
  camera: SplatCamera;
  /** Background, linear RGB 0…1 (convert a display colour with srgbToLinear). Default [0, 0, 0]. */
  background?: ArrayLike<number>;
}

export interface AvatarRenderer {
  readonly avatar: Avatar;
  readonly width: number;
  readonly height: number;
  /** Number of Gaussians drawn. */
  readonly count: number;
  /**
   * Encodes the frame: writes the bone matrices (and per-frame appearance) with
   * `queue.writeBuffer`, skins, rasterises and draws into `target` (a width×height view with
   * RENDER_ATTACHMENT usage whose format is `format`), sRGB-encoded as a screen shows it.
   * Encode at most one frame per submit.
   */
  encodeFrame(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, frame: AvatarFrame): void;
  /** Changes the image size (recreates the rasterizer). */
  resize(width: number, height: number): void;
  /**
   * Reads the last frame's tile intersection total and, when it overflowed the list, enlarges it
   * for the next frame. Resolves true when it grew. Safe to call after every submit; a call made
   * while one is pending returns that one.
   */
  checkCapacity(): Promise<boolean>;
  /** The rendered image of the last frame (H×W×3 f32 linear RGB, row-major, top row first), for the rasterizer's consumers. */
  readonly imageBuffer: GPUBuffer;
  destroy(): void;
}

/**
 * Uploads `avatar`'s Gaussians to `device` and prepares a width×height renderer. The avatar's
 * body stays owned by the caller (the renderer calls its `forward`, never `dispose`).
 */
export function createAvatarRenderer(device: GPUDevice, avatar: Avatar, options: AvatarRendererOptions): AvatarRenderer {
  if (avatar === null || typeof avatar !== 'object' || !avatar.gaussians || !avatar.body) {
    throw new AvatarInputError(`avatar: expected an Avatar (createDefaultAvatar / loadAvatar), got ${describeValue(avatar)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected { width, height }, got ${describeValue(options)}`);
  }
  return new GpuAvatarRenderer(device, avatar, options.width, options.height);
}

class GpuAvatarRenderer implements AvatarRenderer {
  readonly count: number;
  private readonly numJoints: number;
  private readonly canonical: GPUBuffer;
  private readonly weights: GPUBuffer;
  private readonly transforms: GPUBuffer;
  private readonly posed: GPUBuffer;
  private readonly scales: GPUBuffer;
  private readonly colors: GPUBuffer;
  private readonly skinner: GaussianSkinner;
  private rasterizer: SplatRasterizer;
  /** The GPU appearance network of a trained avatar of APPEARANCE_ARCHITECTURE (built once per renderer, i.e. per avatar and device). */
  private readonly network?: AppearanceNetwork;
  /** Canonical + per-frame offsets on the CPU, for networks of other architectures. */
  private readonly displaced?: Float32Array;
  private pendingCheck?: Promise<boolean>;
  /** The pose whose appearance is uploaded (avatars with a network). */
  private appearancePose?: Float32Array;
  private destroyed = false;

  constructor(private readonly device: GPUDevice, readonly avatar: Avatar, width: number, height: number) {
    const g = avatar.gaussians;
    const N = g.count;
    const J = avatar.body.numJoints;
    if (!Number.isInteger(N) || N < 1 || !(g.positions instanceof Float32Array) || g.positions.length !== 3 * N) {
      throw new AvatarInputError(`avatar.gaussians.positions: expected N×3 float32 with N = gaussians.count ≥ 1, got ${describeValue(g.positions)} for count ${describeValue(N)}`);
    }
    for (const [field, value, length] of [['weights', g.weights, N * J], ['colors', g.colors, 3 * N], ['scales', g.scales, N]] as const) {
      if (!(value instanceof Float32Array) || value.length !== length) {
        throw new AvatarInputError(`avatar.gaussians.${field}: expected ${length} float32, got ${describeValue(value)}`);
      }
    }
    this.count = N;
    this.numJoints = J;
    const buffer = (label: string, data: Float32Array | number) => {
      const size = Math.max(16, typeof data === 'number' ? data : data.byteLength);
      const b = device.createBuffer({ label: `avatar ${label}`, size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      if (typeof data !== 'number') device.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
      return b;
    };
    this.canonical = buffer('canonical', g.positions);
    this.weights = buffer('weights', g.weights);
    this.transforms = buffer('transforms', 64 * J);
    this.posed = buffer('posed', 12 * N);
    this.scales = buffer('scales', g.scales);
    this.colors = buffer('colors', g.colors);
    if (avatar.network?.architecture === APPEARANCE_ARCHITECTURE) this.network = createPlaybackNetwork(device, avatar);
    else if (avatar.network) this.displaced = new Float32Array(3 * N);
    this.skinner = createGaussianSkinner(device, { maxGaussians: N, maxJoints: J });
    this.rasterizer = createSplatRasterizer(device, { width, height, maxGaussians: N });
  }

  get width(): number {
    return this.rasterizer.width;
  }

  get height(): number {
    return this.rasterizer.height;
  }

  get imageBuffer(): GPUBuffer {
    return this.rasterizer.imageBuffer;
  }

  encodeFrame(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, frame: AvatarFrame): void {
    this.checkAlive();
    if (frame === null || typeof frame !== 'object') {
      throw new AvatarInputError(`frame: expected { pose, trans?, camera, background? }, got ${describeValue(frame)}`);
    }
    const M = skinningMatrices(this.avatar, frame.pose, frame.trans);
    const queue = this.device.queue;
    queue.writeBuffer(this.transforms, 0, M.buffer as ArrayBuffer, M.byteOffset, M.byteLength);
    if (this.displaced && !samePose(this.appearancePose, frame.pose)) {
      // A trained avatar: per-frame offsets, scales and colours from its appearance network
      // (evaluated again only when the pose changed: orbiting a paused avatar costs nothing here).
      const a = evaluateAppearance(this.avatar, frame.pose);
      const canon = this.avatar.gaussians.positions;
      for (let k = 0; k < canon.length; k++) this.displaced[k] = canon[k] + a.offsets[k];
      writeFloats(queue, this.canonical, this.displaced);
      writeFloats(queue, this.scales, a.scales);
      writeFloats(queue, this.colors, a.colors);
      this.appearancePose = Float32Array.from(frame.pose);
    }
    const network = this.network;
    if (network) {
      // Forward every frame (one pose code per submit; the pass is cheap next to the rasteriser).
      network.setPoseCode(poseCode(frame.pose, this.numJoints));
      network.encodeForward(encoder);
    }
    const count = this.count;
    this.skinner.encodeForward(encoder, {
      canonical: network ? network.displaced : this.canonical, weights: this.weights, transforms: this.transforms, posed: this.posed, count, numJoints: this.numJoints,
    });
    this.rasterizer.encodeForward(encoder, {
      means: this.posed, scales: network ? network.scales : this.scales, colors: network ? network.colors : this.colors, count, camera: frame.camera, background: frame.background,
    });
    this.rasterizer.encodeBlit(encoder, target, format);
  }

  resize(width: number, height: number): void {
    this.checkAlive();
    if (width === this.width && height === this.height) return;
    const next = createSplatRasterizer(this.device, { width, height, maxGaussians: this.count, maxIntersections: this.rasterizer.maxIntersections });
    this.rasterizer.destroy();
    this.rasterizer = next;
  }

  checkCapacity(): Promise<boolean> {
    this.pendingCheck ??= this.growIfOverflowed().finally(() => {
      this.pendingCheck = undefined;
    });
    return this.pendingCheck;
  }

  private async growIfOverflowed(): Promise<boolean> {
    const rasterizer = this.rasterizer;
    const { total, capacity } = await rasterizer.readIntersectionCount();
    if (this.destroyed || rasterizer !== this.rasterizer || total <= capacity) return false;
    const limit = Math.floor(this.device.limits.maxStorageBufferBindingSize / 4);
    const grown = Math.min(limit, Math.max(total, Math.ceil(capacity * 1.5)));
    if (grown <= capacity) return false; // already at the device's limit: frames drop what does not fit
    const next = createSplatRasterizer(this.device, { width: this.width, height: this.height, maxGaussians: this.count, maxIntersections: grown });
    rasterizer.destroy();
    this.rasterizer = next;
    return true;
  }

  private checkAlive(): void {
    if (this.destroyed) throw new AvatarInputError('renderer: expected a live avatar renderer, got one that was destroyed');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of [this.canonical, this.weights, this.transforms, this.posed, this.scales, this.colors]) b.destroy();
    this.network?.destroy();
    this.skinner.destroy();
    this.rasterizer.destroy();
  }
}

function samePose(a: Float32Array | undefined, b: ArrayLike<number>): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== Math.fround(b[i])) return false;
  return true;
}

function writeFloats(queue: GPUQueue, buffer: GPUBuffer, data: Float32Array): void {
  queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}
