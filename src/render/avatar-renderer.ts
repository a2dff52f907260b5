/**
 * Real-time rendering of one avatar: owns its GPU resources and encodes one frame at a time,
 *
 *   pose, trans → skinning matrices M_j = T_live_j · T_canon_j⁻¹ (WASM body forward, CPU)
 *   → appearance: base colours/scales; for a trained avatar of APPEARANCE_ARCHITECTURE or
 *     POSE_ENCODER_ARCHITECTURE the GPU playback network (pose code, or posed UV map → U-Net pose
 *     encoder, → displaced centres, scales, colours, all on the GPU; run again only when the pose
 *     changed); for other network architectures the CPU `evaluateAppearance`
 *   → GPU skinning of the canonical (or displaced) centres (sparse-skinning.ts where every Gaussian has ≤ 8 joints)
 *   → pipeline 'draw' (playback, what the player uses): the splat drawer (splat-drawer.ts: cull +
 *     compact, 18-bit depth sort, a triangle per splat with hardware blending, sRGB present), or
 *     pipeline 'compute': the training rasterizer (depth sort + tile binning + rasterise into
 *     `imageBuffer`, the exact image training sees) → blit, sRGB-encoded;
 *   into a colour target (a canvas's current texture).
 *
 * Colours: the avatar's colours, the splatted image and `AvatarFrame.background` are linear
 * RGB (src/color/srgb.ts); only the last pass encodes to sRGB for the screen.
 *
 * No readback on the frame path; the one asynchronous check (`checkCapacity`) grows the compute
 * pipeline's tile intersection list when a frame overflowed it (the drawer has no such list).
 */
import { AvatarInputError, describeValue } from '../errors.js';
import { evaluateAppearance, skinningMatrices } from '../avatar/pose-avatar.js';
import type { Avatar } from '../avatar/types.js';
import { createPlaybackNetwork, type AppearanceNetwork } from '../train/appearance-network.js';
import { isAppearanceArchitecture } from '../train/appearance-config.js';
import { poseCode } from '../train/pose-code.js';
import { GpuProfiler, type GpuStageTiming } from '../gpu/gpu-profiler.js';
import { createGaussianSkinner, type GaussianSkinner } from './gaussian-skinning.js';
import type { SplatCamera } from './raster-types.js';
import { createSplatDrawer, type SplatDrawer } from './splat-drawer.js';
import { createSparseSkinner, sparseSkinningWeights, type SparseSkinner } from './sparse-skinning.js';
import { createSplatRasterizer, type SplatRasterizer } from './splat-rasterizer.js';

/**
 * How a frame is splatted: 'draw' — the playback drawer (hardware blending; fast); 'compute' — the
 * training rasterizer (exact and differentiable; also fills `imageBuffer`). Both give the same
 * image to within 1/255 on average.
 */
export type AvatarRenderPipeline = 'draw' | 'compute';

export interface AvatarRendererOptions {
  /** Image width in pixels (the canvas's backing width). */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Default 'compute' (its `imageBuffer` is the rasterizer's image); the player uses 'draw'. */
  pipeline?: AvatarRenderPipeline;
  /** Record per-stage GPU times of each frame, read with `readProfile()` (pipeline 'draw'; needs 'timestamp-query'). */
  profile?: boolean;
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
  readonly pipeline: AvatarRenderPipeline;
  /**
   * Encodes the frame: writes the bone matrices (and per-frame appearance) with
   * `queue.writeBuffer`, skins, rasterises and draws into `target` (a width×height view with
   * RENDER_ATTACHMENT usage whose format is `format`), sRGB-encoded as a screen shows it.
   * Encode at most one frame per submit.
   */
  encodeFrame(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, frame: AvatarFrame): void;
  /** Changes the image size (recreates the drawer or rasterizer). */
  resize(width: number, height: number): void;
  /**
   * Reads the last frame's tile intersection total and, when it overflowed the list, enlarges it
   * for the next frame. Resolves true when it grew. Safe to call after every submit; a call made
   * while one is pending returns that one. Pipeline 'draw' has no such list: resolves false.
   */
  checkCapacity(): Promise<boolean>;
  /**
   * The rendered image of the last frame (H×W×3 f32 linear RGB, row-major, top row first), for the
   * rasterizer's consumers. Pipeline 'compute' only (throws AvatarInputError with 'draw').
   */
  readonly imageBuffer: GPUBuffer;
  /** GPU time per stage of the last submitted frame (created with `profile: true`). */
  readProfile(): Promise<GpuStageTiming[]>;
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
    throw new AvatarInputError(`options: expected { width, height, pipeline?, profile? }, got ${describeValue(options)}`);
  }
  const pipeline = options.pipeline ?? 'compute';
  if (pipeline !== 'draw' && pipeline !== 'compute') {
    throw new AvatarInputError(`options.pipeline: expected 'draw' or 'compute', got ${describeValue(options.pipeline)}`);
  }
  if (options.profile && pipeline !== 'draw') throw new AvatarInputError("options.profile: expected pipeline 'draw' (the compute rasterizer profiles itself)");
  const profiler = options.profile ? new GpuProfiler(device) : undefined;
  return new GpuAvatarRenderer(device, avatar, options.width, options.height, pipeline, profiler);
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
  /** Sparse weights and their skinner where every Gaussian has ≤ 8 joints (same posed centres, fewer loads). */
  private readonly sparse?: { joints: GPUBuffer; weights: GPUBuffer; skinner: SparseSkinner };
  /** Exactly one of the two, as `pipeline` says. */
  private rasterizer?: SplatRasterizer;
  private drawer?: SplatDrawer;
  /** The GPU appearance network of a trained avatar (built once per renderer, i.e. per avatar and device). */
  private readonly network?: AppearanceNetwork;
  /** The pose the network's outputs were last computed for. */
  private networkPose?: Float32Array;
  /** Canonical + per-frame offsets on the CPU, for networks of other architectures. */
  private readonly displaced?: Float32Array;
  private pendingCheck?: Promise<boolean>;
  /** The pose whose appearance is uploaded (avatars with a network). */
  private appearancePose?: Float32Array;
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice, readonly avatar: Avatar, width: number, height: number,
    readonly pipeline: AvatarRenderPipeline, private readonly profiler?: GpuProfiler,
  ) {
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
    if (isAppearanceArchitecture(avatar.network?.architecture)) this.network = createPlaybackNetwork(device, avatar);
    else if (avatar.network) this.displaced = new Float32Array(3 * N);
    this.skinner = createGaussianSkinner(device, { maxGaussians: N, maxJoints: J });
    const sparse = sparseSkinningWeights(g.weights, N, J);
    if (sparse) {
      const joints = device.createBuffer({ label: 'avatar sparse joints', size: Math.max(16, sparse.joints.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(joints, 0, sparse.joints.buffer as ArrayBuffer, sparse.joints.byteOffset, sparse.joints.byteLength);
      this.sparse = { joints, weights: buffer('sparse weights', sparse.weights), skinner: createSparseSkinner(device, N) };
    }
    this.createSplatter(width, height);
  }

  /** The drawer or rasterizer for width×height (the rasterizer with `maxIntersections` when given). */
  private createSplatter(width: number, height: number, maxIntersections?: number): void {
    if (this.pipeline === 'draw') {
      const next = createSplatDrawer(this.device, { width, height, maxGaussians: this.count, profiler: this.profiler });
      this.drawer?.destroy();
      this.drawer = next;
    } else {
      const next = createSplatRasterizer(this.device, { width, height, maxGaussians: this.count, maxIntersections });
      this.rasterizer?.destroy();
      this.rasterizer = next;
    }
  }

  get width(): number {
    return (this.drawer ?? this.rasterizer!).width;
  }

  get height(): number {
    return (this.drawer ?? this.rasterizer!).height;
  }

  get imageBuffer(): GPUBuffer {
    if (!this.rasterizer) throw new AvatarInputError("imageBuffer: expected a renderer created with pipeline 'compute' (the 'draw' pipeline keeps no image buffer)");
    return this.rasterizer.imageBuffer;
  }

  readProfile(): Promise<GpuStageTiming[]> {
    if (!this.profiler) throw new AvatarInputError('readProfile: expected a renderer created with { profile: true }');
    return this.profiler.read();
  }

  encodeFrame(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, frame: AvatarFrame): void {
    this.checkAlive();
    if (frame === null || typeof frame !== 'object') {
      throw new AvatarInputError(`frame: expected { pose, trans?, camera, background? }, got ${describeValue(frame)}`);
    }
    const M = skinningMatrices(this.avatar, frame.pose, frame.trans);
    const prof = this.profiler;
    prof?.reset();
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
    // A network without pose input (stage 1 only: poseConditioning 'none') gives every pose the same outputs.
    const poseDependent = network !== undefined && (network.config.poseCodeLength > 0 || network.encoder !== undefined);
    if (network && (this.networkPose === undefined || (poseDependent && !samePose(this.networkPose, frame.pose)))) {
      // The network's outputs stay in its buffers: run it again only for a new pose (orbiting or
      // resizing a paused avatar costs nothing here). One pose per submit.
      if (network.config.poseCodeLength > 0) network.setPoseCode(poseCode(frame.pose, this.numJoints));
      if (network.encoder) network.setPosedBody(this.avatar.body.forward({ pose: frame.pose, betas: this.avatar.betas }));
      prof?.mark(encoder, 'appearance network');
      network.encodeForward(encoder);
      this.networkPose = Float32Array.from(frame.pose);
    }
    const count = this.count;
    prof?.mark(encoder, 'skin');
    const canonical = network ? network.displaced : this.canonical;
    if (this.sparse) {
      const { joints, weights, skinner } = this.sparse;
      skinner.encodeForward(encoder, { canonical, joints, weights, transforms: this.transforms, posed: this.posed, count });
    } else {
      this.skinner.encodeForward(encoder, { canonical, weights: this.weights, transforms: this.transforms, posed: this.posed, count, numJoints: this.numJoints });
    }
    const scene = { means: this.posed, scales: network ? network.scales : this.scales, colors: network ? network.colors : this.colors, count, camera: frame.camera, background: frame.background };
    if (this.drawer) {
      this.drawer.encodeDraw(encoder, target, format, scene);
    } else {
      this.rasterizer!.encodeForward(encoder, scene);
      this.rasterizer!.encodeBlit(encoder, target, format);
    }
  }

  resize(width: number, height: number): void {
    this.checkAlive();
    if (width === this.width && height === this.height) return;
    this.createSplatter(width, height, this.rasterizer?.maxIntersections);
  }

  checkCapacity(): Promise<boolean> {
    this.pendingCheck ??= this.growIfOverflowed().finally(() => {
      this.pendingCheck = undefined;
    });
    return this.pendingCheck;
  }

  private async growIfOverflowed(): Promise<boolean> {
    const rasterizer = this.rasterizer;
    if (!rasterizer) return false;
    const { total, capacity } = await rasterizer.readIntersectionCount();
    if (this.destroyed || rasterizer !== this.rasterizer || total <= capacity) return false;
    const limit = Math.floor(this.device.limits.maxStorageBufferBindingSize / 4);
    const grown = Math.min(limit, Math.max(total, Math.ceil(capacity * 1.5)));
    if (grown <= capacity) return false; // already at the device's limit: frames drop what does not fit
    this.createSplatter(this.width, this.height, grown);
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
    if (this.sparse) {
      this.sparse.joints.destroy();
      this.sparse.weights.destroy();
      this.sparse.skinner.destroy();
    }
    this.skinner.destroy();
    this.rasterizer?.destroy();
    this.drawer?.destroy();
    this.profiler?.destroy();
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
