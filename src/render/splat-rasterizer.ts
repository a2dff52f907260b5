/**
 * Differentiable tile-based splatting of isotropic 3D Gaussians on WebGPU (the 3DGS rasterizer's
 * maths, Brush-like pipeline):
 *
 *   project_gaussians → radix sort by depth → gather_tile_counts + prefix sum →
 *   emit_tile_keys → stable radix sort by tile → tile_ranges → rasterize_forward
 *   backward: rasterize_backward → project_gaussians_backward
 *
 * Intersection counts stay on the GPU (indirect dispatch); only the convenience methods
 * (`render`, `gradients`) read anything back.
 *
 * Conventions: OpenCV camera, pixel centres at +0.5 (pixel (px, py) is shaded at
 * (px + 0.5, py + 0.5)), column-major matrices; see raster-types.ts.
 *
 * The forward function, exactly (tests/render/raster-twin.ts is its f64 twin):
 *  - t = view·[mean, 1]; culled if t.z < near (default 0.01).
 *  - (u, v) = (fx·t.x/t.z + cx, fy·t.y/t.z + cy).
 *  - Σ' = σ²·(J·W)(J·W)ᵀ + 0.3·I, W the view's 3×3 part, J the perspective Jacobian with t.x/t.z
 *    and t.y/t.z clamped to the image's extent widened by 15 % of its size on every side (for a
 *    centred principal point: ±1.3·tan(fov/2), as 3DGS); the clamp's gradient is zero.
 *  - radius = ceil(3·sqrt(λmax)), λmax = mid + sqrt(max(0.1, mid² − det)); the Gaussian is listed in
 *    every 16×16 tile that the square [u ± radius] × [v ± radius] touches (culled if none).
 *  - per pixel, front to back by f32 view depth (ties by index): α = min(0.99, o·exp(−½dᵀΣ'⁻¹d)),
 *    d = pixel centre − (u, v); skipped if α < 1/255; stops before a Gaussian that would make
 *    T < 1e-4; C = Σ cᵢαᵢTᵢ + T_final·bg.
 */
import frameHelpers from '../../wgsl/helpers/splat_frame.wgsl';
import projectSource from '../../wgsl/project_gaussians.wgsl';
import gatherSource from '../../wgsl/gather_tile_counts.wgsl';
import dispatchSource from '../../wgsl/write_intersection_dispatch.wgsl';
import emitSource from '../../wgsl/emit_tile_keys.wgsl';
import rangesSource from '../../wgsl/tile_ranges.wgsl';
import forwardSource from '../../wgsl/rasterize_forward.wgsl';
import backwardHelpers from '../../wgsl/helpers/splat_backward.wgsl';
import backwardSource from '../../wgsl/rasterize_backward.wgsl';
import backwardSubgroupsSource from '../../wgsl/rasterize_backward_subgroups.wgsl';
import projectBackwardSource from '../../wgsl/project_gaussians_backward.wgsl';
import blitSource from '../../wgsl/blit_image.wgsl';
import srgbHelpers from '../../wgsl/helpers/srgb.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from '../gpu/bind-group-cache.js';
import { requireUsage } from '../gpu/indirect.js';
import { isCpuAdapter } from '../gpu/adapter-kind.js';
import { createPrefixSum, type PrefixSum } from '../gpu/prefix-sum.js';
import { createRadixSorter, type RadixSorter } from '../gpu/radix-sort.js';
import type { SplatCamera, SplatGradients, SplatRasterizerOptions, SplatScene, StageTiming } from './raster-types.js';
import { checkDimension, checkSplatTarget, validateCamera, validateGradImage, validateScene, type CheckedCamera } from './validate-scene.js';
import { COPY_DST, COPY_SRC, STORAGE } from '../gpu/buffer-usage.js';

export type { SplatCamera, SplatGradients, SplatRasterizerOptions, SplatScene, StageTiming } from './raster-types.js';

/** Tile edge in pixels (one workgroup of 16×16 threads per tile). */
export const TILE_SIZE = 16;
/** Bytes of the Frame uniform (wgsl/helpers/splat_frame.wgsl). */
const FRAME_BYTES = 144;
/** Bytes of one Projected record (wgsl/helpers/splat_frame.wgsl). */
const PROJECTED_BYTES = 32;
/** Image-space gradients per Gaussian in grad2d: ∂(u, v), ∂conic (A, B, C), ∂rgb, ∂opacity. */
const GRAD2D_PER_GAUSSIAN = 9;
/** The Jacobian's x/z, y/z are clamped to the image's extent widened by this fraction per side (3DGS: 1.3·tan(fov/2)). */
const CLAMP_MARGIN = 0.15;
const MAX_TIMESTAMPS = 32;

/** Gaussian inputs living in GPU buffers (STORAGE usage), for training and playback. */
export interface SplatGpuScene {
  /** N×3 f32 centres, world units, tightly packed xyz (e.g. GaussianSkinner's `posed` output). */
  means: GPUBuffer;
  /** N f32 isotropic σ, world units. */
  scales: GPUBuffer;
  /** N×3 f32 linear RGB. */
  colors: GPUBuffer;
  /** N f32 opacities in [0, 1]; omitted = all 1. */
  opacities?: GPUBuffer;
  /** N, an integer in 0…maxGaussians. */
  count: number;
}

export interface SplatForwardArgs extends SplatGpuScene {
  camera: SplatCamera;
  /** Background, linear RGB, default [0, 0, 0]. */
  background?: ArrayLike<number>;
}

export interface SplatBackwardArgs extends SplatGpuScene {
  /** H×W×3 f32 ∂L/∂image, row-major, top row first (STORAGE usage). */
  gradImage: GPUBuffer;
  /** Receives N×3 f32 ∂L/∂means (overwritten). */
  gradMeans: GPUBuffer;
  /** Receives N f32 ∂L/∂scales (overwritten). */
  gradScales: GPUBuffer;
  /** Receives N×3 f32 ∂L/∂colors (overwritten). */
  gradColors: GPUBuffer;
  /** Receives N f32 ∂L/∂opacities (overwritten). */
  gradOpacities: GPUBuffer;
}

export interface SplatRasterizer {
  readonly width: number;
  readonly height: number;
  readonly maxGaussians: number;
  /** True when the backward pass uses subgroup operations (device feature 'subgroups'). */
  readonly usesSubgroups: boolean;
  /** The forward's shared-memory batch size (0: it reads the tile lists straight from storage). */
  readonly sharedBatch: number;
  /** Current capacity of the (tile, Gaussian) intersection list. */
  readonly maxIntersections: number;
  /**
   * H×W×3 f32 linear RGB, row-major, top row first (STORAGE | COPY_SRC): written by
   * `encodeForward`, read by losses on the GPU and by `encodeBlit`.
   */
  readonly imageBuffer: GPUBuffer;

  /** Renders `scene` (CPU arrays) and reads the image back: Float32Array(H×W×3), row-major, top row first. */
  render(scene: SplatScene, camera: SplatCamera): Promise<Float32Array>;

  /** Gradients of L = Σ gradImage·render(scene, camera) w.r.t. means, scales, colors and opacities. */
  gradients(scene: SplatScene, camera: SplatCamera, gradImage: Float32Array): Promise<SplatGradients>;

  /**
   * Encodes a forward render of Gaussians already on the GPU into `imageBuffer`. No CPU
   * readback. The camera is written with `device.queue.writeBuffer` at encode time, so encode at
   * most one forward per rasterizer per submitted command buffer. Intersections past
   * `maxIntersections` are dropped (check `readIntersectionCount()` when in doubt).
   */
  encodeForward(encoder: GPUCommandEncoder, args: SplatForwardArgs): void;

  /**
   * Encodes the backward pass of the LAST encoded forward (same scene buffers, same count; the
   * camera, sort order and per-pixel state are reused) for L = Σ gradImage·image, overwriting
   * gradMeans/gradScales/gradColors/gradOpacities.
   *
   * How to chain further: gradMeans is ∂L/∂(posed Gaussian centres) — pass it as `gradPosed` to
   * GaussianSkinner.encodeBackward (src/render/gaussian-skinning.ts) to get ∂L/∂canonical
   * positions and ∂L/∂bone transforms, which pose refinement feeds into the body model's
   * backward. gradScales/gradColors feed the appearance network's backward.
   */
  encodeBackward(encoder: GPUCommandEncoder, args: SplatBackwardArgs): void;

  /**
   * Draws `imageBuffer` (linear RGB) into `target` (a width×height view of a texture with
   * RENDER_ATTACHMENT usage, e.g. `context.getCurrentTexture().createView()`), for playback on a
   * canvas: sRGB-encoded, so the texture holds what a screen shows. `format` is the view's format
   * (rgba8unorm, bgra8unorm, …); for an `-srgb` format the hardware encodes and the values are
   * written linear. Either way the stored bytes are the sRGB encoding of the image (clamped to 0…1).
   */
  encodeBlit(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat): void;

  /** Reads the last forward's intersection total (which may exceed the capacity) and the capacity. */
  readIntersectionCount(): Promise<{ total: number; capacity: number }>;

  /** Per-stage GPU times of the last forward (+ backward) when created with `profile: true`. */
  readProfile(): Promise<StageTiming[]>;

  destroy(): void;
}

/**
 * Creates a rasterizer for images of `width`×`height` pixels and up to `maxGaussians`
 * Gaussians. Throws AvatarInputError on bad options, WebGPUUnavailableError where WebGPU is missing.
 */
export function createSplatRasterizer(device: GPUDevice, options: SplatRasterizerOptions): SplatRasterizer {
  const { width, height } = checkSplatTarget('createSplatRasterizer', device, options);
  const maxWords = Math.floor(device.limits.maxStorageBufferBindingSize / 4);
  const maxGaussians = checkDimension('options.maxGaussians', options.maxGaussians, Math.floor(maxWords / GRAD2D_PER_GAUSSIAN));
  if (width * height * 3 > maxWords) {
    throw new AvatarInputError(`options.width/height: expected width·height·3 ≤ ${maxWords} (maxStorageBufferBindingSize / 4), got ${width}×${height}`);
  }
  const capacity = options.maxIntersections === undefined
    ? Math.min(maxWords, Math.max(65536, 8 * maxGaussians))
    : checkDimension('options.maxIntersections', options.maxIntersections, maxWords);
  if (options.profile && !device.features.has('timestamp-query')) {
    throw new AvatarInputError("options.profile: expected a device with the 'timestamp-query' feature");
  }
  const subgroups = options.subgroups !== false && device.features.has('subgroups');
  // On CPU WebGPU workgroup memory and barriers cost far more than the storage loads they save
  // (~4 ms per workgroup for a 10 KB shared array on SwiftShader): the forward reads its list straight from storage.
  const sharedBatch = options.sharedBatch === undefined
    ? (isCpuAdapter(device) ? 0 : DEFAULT_SHARED_BATCH)
    : checkSharedBatch(options.sharedBatch);
  return new GpuSplatRasterizer(device, width, height, maxGaussians, capacity, !!options.profile, subgroups, sharedBatch);
}

/** Forward's shared-memory batch on real GPUs: one list entry per thread, as 3DGS. */
const DEFAULT_SHARED_BATCH = 256;

function checkSharedBatch(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 256) {
    throw new AvatarInputError(`options.sharedBatch: expected an integer in 0…256, got ${describeValue(value)}`);
  }
  return value;
}

class GpuSplatRasterizer implements SplatRasterizer {
  readonly imageBuffer: GPUBuffer;
  maxIntersections: number;

  private readonly tilesX: number;
  private readonly tilesY: number;
  private readonly tileBits: number;
  private readonly frame: GPUBuffer;
  private readonly projected: GPUBuffer;
  private readonly tileCounts: GPUBuffer;
  private readonly depthKeys: GPUBuffer;
  private readonly depthOrder: GPUBuffer;
  private readonly countsInDepthOrder: GPUBuffer;
  private readonly offsets: GPUBuffer;
  private readonly counts: GPUBuffer;
  private readonly dispatchArgs: GPUBuffer;
  private readonly ranges: GPUBuffer;
  private readonly pixelState: GPUBuffer;
  private readonly grad2d: GPUBuffer;
  private readonly ones: GPUBuffer;
  private tileKeys!: GPUBuffer;
  private gaussianIds!: GPUBuffer;
  private tileSorter!: RadixSorter;
  private readonly depthSorter: RadixSorter;
  private readonly prefixSum: PrefixSum;
  private readonly pipelines: Record<'project' | 'gather' | 'dispatch' | 'emit' | 'ranges' | 'forward' | 'backward' | 'projectBackward', GPUComputePipeline>;
  private readonly blitPipelines = new Map<string, GPURenderPipeline>();
  private readonly bindGroups = new BindGroupCache();
  /** Scene buffers and readback staging of the convenience methods, created on first use. */
  private host?: HostBuffers;
  /** Serialises the convenience methods (they share `host`). */
  private queueTail: Promise<unknown> = Promise.resolve();
  private lastCount = -1;
  private readonly profiler?: Profiler;
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice,
    readonly width: number,
    readonly height: number,
    readonly maxGaussians: number,
    capacity: number,
    profile: boolean,
    /** Whether rasterize_backward uses the subgroup variant. */
    readonly usesSubgroups: boolean,
    /** rasterize_forward's shared-memory batch (0 = reads from storage). */
    readonly sharedBatch: number,
  ) {
    this.tilesX = Math.ceil(width / TILE_SIZE);
    this.tilesY = Math.ceil(height / TILE_SIZE);
    this.tileBits = Math.max(1, Math.ceil(Math.log2(this.tilesX * this.tilesY)));
    const buffer = (label: string, size: number, usage: number) => device.createBuffer({ label: `splat ${label}`, size: Math.max(16, size), usage });
    const n = maxGaussians;
    const pixels = width * height;
    this.frame = buffer('frame', FRAME_BYTES, GPUBufferUsage.UNIFORM | COPY_DST);
    this.projected = buffer('projected', PROJECTED_BYTES * n, STORAGE);
    this.tileCounts = buffer('tile counts', 4 * n, STORAGE);
    this.depthKeys = buffer('depth keys', 4 * n, STORAGE | COPY_SRC | COPY_DST);
    this.depthOrder = buffer('depth order', 4 * n, STORAGE | COPY_SRC | COPY_DST);
    this.countsInDepthOrder = buffer('counts in depth order', 4 * n, STORAGE);
    this.offsets = buffer('offsets', 4 * n, STORAGE);
    this.counts = buffer('intersection counts', 16, STORAGE | COPY_SRC | COPY_DST);
    this.dispatchArgs = buffer('intersection dispatch', 16, STORAGE | GPUBufferUsage.INDIRECT);
    this.ranges = buffer('tile ranges', 8 * this.tilesX * this.tilesY, STORAGE | COPY_DST);
    this.imageBuffer = buffer('image', 12 * pixels, STORAGE | COPY_SRC);
    this.pixelState = buffer('pixel state', 8 * pixels, STORAGE);
    this.grad2d = buffer('grad2d', 4 * GRAD2D_PER_GAUSSIAN * n, STORAGE | COPY_DST);
    this.ones = buffer('ones', 4 * n, STORAGE | COPY_DST);
    device.queue.writeBuffer(this.ones, 0, new Float32Array(n).fill(1));
    this.maxIntersections = capacity;
    this.allocateIntersections(capacity);
    this.depthSorter = createRadixSorter(device, n);
    this.prefixSum = createPrefixSum(device, n);

    const compute = (label: string, source: string, prefix = '', constants?: Record<string, number>, entryPoint = 'main') =>
      device.createComputePipeline({
        label,
        layout: 'auto',
        compute: { module: device.createShaderModule({ label, code: prefix + frameHelpers + source }), entryPoint, constants },
      });
    this.pipelines = {
      project: compute('project_gaussians', projectSource),
      gather: compute('gather_tile_counts', gatherSource),
      dispatch: compute('write_intersection_dispatch', dispatchSource),
      emit: compute('emit_tile_keys', emitSource),
      ranges: compute('tile_ranges', rangesSource),
      // Without the shared batch (CPU adapters), 'mainStorage' keeps the pixel state in registers.
      forward: compute('rasterize_forward', forwardSource, '', { SHARED_BATCH: sharedBatch }, sharedBatch === 0 ? 'mainStorage' : 'main'),
      // The subgroup variant reduces inside branches that are uniform per subgroup (subgroupAny),
      // which WGSL's workgroup-level uniformity analysis cannot see: hence the diagnostic.
      backward: usesSubgroups
        ? compute('rasterize_backward_subgroups', backwardHelpers + backwardSubgroupsSource, 'enable subgroups;\ndiagnostic(off, subgroup_uniformity);\n')
        : compute('rasterize_backward', backwardHelpers + backwardSource),
      projectBackward: compute('project_gaussians_backward', projectBackwardSource),
    };
    if (profile) this.profiler = new Profiler(device);
  }

  private allocateIntersections(capacity: number): void {
    this.tileKeys?.destroy();
    this.gaussianIds?.destroy();
    this.tileSorter?.destroy();
    const usage = STORAGE | COPY_SRC | COPY_DST;
    this.tileKeys = this.device.createBuffer({ label: 'splat tile keys', size: 4 * capacity, usage });
    this.gaussianIds = this.device.createBuffer({ label: 'splat gaussian ids', size: 4 * capacity, usage });
    this.tileSorter = createRadixSorter(this.device, capacity);
    this.maxIntersections = capacity;
  }

  // ---- GPU-buffer entry points -------------------------------------------------------------

  encodeForward(encoder: GPUCommandEncoder, args: SplatForwardArgs): void {
    this.checkAlive();
    const count = this.checkGpuScene(args);
    const camera = validateCamera(args.camera, this.width, this.height);
    const background = validateScene({ means: new Float32Array(0), scales: new Float32Array(0), colors: new Float32Array(0), background: args.background }, 0).background;
    this.writeFrame(camera, count, background);
    this.lastCount = count;
    const opacities = args.opacities ?? this.ones;
    const p = this.pipelines;
    const prof = this.profiler;
    prof?.reset();

    encoder.clearBuffer(this.counts);
    encoder.clearBuffer(this.ranges);
    if (count > 0) {
      const groups = Math.ceil(count / 256);
      prof?.mark(encoder, 'project');
      this.dispatch(encoder, p.project, [args.means, args.scales, opacities, this.projected, this.tileCounts, this.depthKeys, this.depthOrder], groups);
      prof?.mark(encoder, 'depth sort');
      this.depthSorter.encode(encoder, { keys: this.depthKeys, values: this.depthOrder, count, bits: 32 });
      prof?.mark(encoder, 'tile counts + scan');
      this.dispatch(encoder, p.gather, [this.tileCounts, this.depthOrder, this.countsInDepthOrder], groups);
      this.prefixSum.encode(encoder, { input: this.countsInDepthOrder, output: this.offsets, count, totalBuffer: this.counts, totalOffset: 0 });
      this.dispatch(encoder, p.dispatch, [this.counts, this.dispatchArgs], 1);
      prof?.mark(encoder, 'emit tile keys');
      this.dispatch(encoder, p.emit, [this.projected, this.depthOrder, this.countsInDepthOrder, this.offsets, this.tileKeys, this.gaussianIds], groups);
      prof?.mark(encoder, 'tile sort');
      this.tileSorter.encode(encoder, { keys: this.tileKeys, values: this.gaussianIds, count: { buffer: this.counts, offset: 4 }, bits: this.tileBits });
      prof?.mark(encoder, 'tile ranges');
      this.dispatch(encoder, p.ranges, [this.counts, this.tileKeys, this.ranges], this.dispatchArgs);
    }
    prof?.mark(encoder, 'rasterize forward');
    this.dispatch(encoder, p.forward, [this.ranges, this.gaussianIds, this.projected, args.colors, this.imageBuffer, this.pixelState], [this.tilesX, this.tilesY]);
    prof?.mark(encoder, 'end');
  }

  encodeBackward(encoder: GPUCommandEncoder, args: SplatBackwardArgs): void {
    this.checkAlive();
    const count = this.checkGpuScene(args);
    if (count !== this.lastCount) {
      throw new AvatarInputError(`count: expected ${this.lastCount} (the count of the last encodeForward), got ${describeValue(count)}`);
    }
    const pixels = this.width * this.height;
    this.checkBuffer('gradImage', args.gradImage, 12 * pixels, `H×W×3 f32 (${12 * pixels} bytes)`);
    this.checkBuffer('gradMeans', args.gradMeans, 12 * count, `N×3 f32 (${12 * count} bytes)`);
    this.checkBuffer('gradScales', args.gradScales, 4 * count, `N f32 (${4 * count} bytes)`);
    this.checkBuffer('gradColors', args.gradColors, 12 * count, `N×3 f32 (${12 * count} bytes)`);
    this.checkBuffer('gradOpacities', args.gradOpacities, 4 * count, `N f32 (${4 * count} bytes)`);
    const p = this.pipelines;
    const prof = this.profiler;
    prof?.mark(encoder, 'rasterize backward');
    encoder.clearBuffer(this.grad2d, 0, Math.max(16, 4 * GRAD2D_PER_GAUSSIAN * count));
    this.dispatch(encoder, p.backward, [this.ranges, this.gaussianIds, this.projected, args.colors, this.pixelState, args.gradImage, this.grad2d], [this.tilesX, this.tilesY]);
    if (count > 0) {
      prof?.mark(encoder, 'project backward');
      this.dispatch(encoder, p.projectBackward, [args.means, args.scales, this.grad2d, args.gradMeans, args.gradScales, args.gradColors, args.gradOpacities], Math.ceil(count / 256));
    }
    prof?.mark(encoder, 'end');
  }

  encodeBlit(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat): void {
    this.checkAlive();
    let pipeline = this.blitPipelines.get(format);
    if (!pipeline) {
      const module = this.device.createShaderModule({ label: 'blit_image', code: frameHelpers + srgbHelpers + blitSource });
      pipeline = this.device.createRenderPipeline({
        label: `blit_image ${format}`,
        layout: 'auto',
        vertex: { module, entryPoint: 'vertexMain' },
        fragment: { module, entryPoint: 'fragmentMain', targets: [{ format }], constants: { encodeSrgb: format.endsWith('-srgb') ? 0 : 1 } },
        primitive: { topology: 'triangle-list' },
      });
      this.blitPipelines.set(format, pipeline);
    }
    const bindGroup = this.bindGroupFor(pipeline, [this.frame, this.imageBuffer]);
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }] });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.draw(3);
    pass.end();
  }

  async readIntersectionCount(): Promise<{ total: number; capacity: number }> {
    this.checkAlive();
    const staging = this.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.counts, 0, staging, 0, 16);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const total = new Uint32Array(staging.getMappedRange())[0];
    staging.destroy();
    return { total, capacity: this.maxIntersections };
  }

  async readProfile(): Promise<StageTiming[]> {
    if (!this.profiler) throw new AvatarInputError('readProfile: expected a rasterizer created with { profile: true }');
    return this.profiler.read();
  }

  // ---- convenience methods (CPU arrays in, CPU arrays out) ---------------------------------

  render(scene: SplatScene, camera: SplatCamera): Promise<Float32Array> {
    this.checkAlive();
    const checked = validateScene(scene, this.maxGaussians);
    validateCamera(camera, this.width, this.height);
    return this.serialised(async () => {
      const host = this.uploadScene(scene, checked.count);
      await this.forwardFitting(host, camera, checked.background);
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(this.imageBuffer, 0, host.imageStaging, 0, 12 * this.width * this.height);
      this.device.queue.submit([encoder.finish()]);
      return new Float32Array(await readStaging(host.imageStaging, 12 * this.width * this.height));
    });
  }

  gradients(scene: SplatScene, camera: SplatCamera, gradImage: Float32Array): Promise<SplatGradients> {
    this.checkAlive();
    const checked = validateScene(scene, this.maxGaussians);
    validateCamera(camera, this.width, this.height);
    validateGradImage(gradImage, this.width, this.height);
    return this.serialised(async () => {
      const n = checked.count;
      const host = this.uploadScene(scene, n);
      writeFloats(this.device, host.gradImage, gradImage);
      await this.forwardFitting(host, camera, checked.background);
      const encoder = this.device.createCommandEncoder();
      this.encodeBackward(encoder, { ...host.scene(n), gradImage: host.gradImage, gradMeans: host.gradMeans, gradScales: host.gradScales, gradColors: host.gradColors, gradOpacities: host.gradOpacities });
      const layout: [GPUBuffer, number][] = [[host.gradMeans, 12 * n], [host.gradScales, 4 * n], [host.gradColors, 12 * n], [host.gradOpacities, 4 * n]];
      let offset = 0;
      for (const [buffer, bytes] of layout) {
        if (bytes > 0) encoder.copyBufferToBuffer(buffer, 0, host.gradStaging, offset, bytes);
        offset += bytes;
      }
      this.device.queue.submit([encoder.finish()]);
      const all = new Float32Array(await readStaging(host.gradStaging, offset));
      return {
        means: all.slice(0, 3 * n),
        scales: all.slice(3 * n, 4 * n),
        colors: all.slice(4 * n, 7 * n),
        opacities: all.slice(7 * n, 8 * n),
      };
    });
  }

  /** Runs the forward on the uploaded scene, growing the intersection list until the frame fits. */
  private async forwardFitting(host: HostBuffers, camera: SplatCamera, background: [number, number, number]): Promise<void> {
    const count = host.count;
    for (;;) {
      const encoder = this.device.createCommandEncoder();
      this.encodeForward(encoder, { ...host.scene(count), camera, background });
      encoder.copyBufferToBuffer(this.counts, 0, host.countStaging, 0, 16);
      this.device.queue.submit([encoder.finish()]);
      const total = new Uint32Array(await readStaging(host.countStaging, 16))[0];
      if (total <= this.maxIntersections) return;
      const limit = Math.floor(this.device.limits.maxStorageBufferBindingSize / 4);
      if (total > limit) {
        throw new AvatarInputError(`scene: this frame has ${total} tile intersections, more than this device can hold (${limit}); use fewer or smaller Gaussians or a smaller image`);
      }
      this.allocateIntersections(Math.min(limit, Math.max(total, Math.ceil(this.maxIntersections * 1.5))));
    }
  }

  private uploadScene(scene: SplatScene, n: number): HostBuffers {
    this.host ??= new HostBuffers(this.device, this.maxGaussians, this.width * this.height);
    const host = this.host;
    host.count = n;
    if (n > 0) {
      writeFloats(this.device, host.means, scene.means);
      writeFloats(this.device, host.scales, scene.scales);
      writeFloats(this.device, host.colors, scene.colors);
      writeFloats(this.device, host.opacities, scene.opacities ?? new Float32Array(n).fill(1));
    }
    return host;
  }

  private serialised<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queueTail.then(job, job);
    this.queueTail = run.catch(() => undefined);
    return run;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private writeFrame(camera: CheckedCamera, count: number, background: [number, number, number]): void {
    const { fx, fy, cx, cy } = camera;
    const w = this.width;
    const h = this.height;
    const data = new ArrayBuffer(FRAME_BYTES);
    const f = new Float32Array(data);
    const u = new Uint32Array(data);
    f.set(camera.view, 0);
    f.set([fx, fy, cx, cy], 16);
    f.set([(-cx - CLAMP_MARGIN * w) / fx, (-cy - CLAMP_MARGIN * h) / fy], 20);
    f.set([((1 + CLAMP_MARGIN) * w - cx) / fx, ((1 + CLAMP_MARGIN) * h - cy) / fy], 22);
    f.set([...background, 0], 24);
    u.set([w, h, this.tilesX, this.tilesY, count, this.maxIntersections], 28);
    f[34] = camera.near;
    this.device.queue.writeBuffer(this.frame, 0, data);
  }

  private checkGpuScene(args: SplatGpuScene): number {
    if (args === null || typeof args !== 'object') {
      throw new AvatarInputError(`args: expected { means, scales, colors, opacities?, count, … }, got ${describeValue(args)}`);
    }
    const count = args.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > this.maxGaussians) {
      throw new AvatarInputError(`count: expected an integer in 0…${this.maxGaussians} (maxGaussians), got ${describeValue(count)}`);
    }
    this.checkBuffer('means', args.means, 12 * count, `N×3 f32 (${12 * count} bytes)`);
    this.checkBuffer('scales', args.scales, 4 * count, `N f32 (${4 * count} bytes)`);
    this.checkBuffer('colors', args.colors, 12 * count, `N×3 f32 (${12 * count} bytes)`);
    if (args.opacities !== undefined) this.checkBuffer('opacities', args.opacities, 4 * count, `N f32 (${4 * count} bytes)`);
    return count;
  }

  private checkBuffer(field: string, buffer: unknown, bytes: number, expected: string): void {
    requireUsage(field, buffer, STORAGE, 'STORAGE');
    if (buffer.size < bytes) throw new AvatarInputError(`${field}: expected a buffer of at least ${expected}, got ${buffer.size} bytes`);
  }

  private bindGroupFor(pipeline: GPUComputePipeline | GPURenderPipeline, buffers: GPUBuffer[]): GPUBindGroup {
    return this.bindGroups.get([pipeline, ...buffers], () =>
      this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
  }

  /** One compute pass with one dispatch: binding 0 is the frame uniform, then `buffers` in order. */
  private dispatch(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], size: number | [number, number] | GPUBuffer): void {
    const pass = encoder.beginComputePass({ label: pipeline.label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroupFor(pipeline, [this.frame, ...buffers]));
    if (size instanceof GPUBuffer) pass.dispatchWorkgroupsIndirect(size, 0);
    else if (typeof size === 'number') pass.dispatchWorkgroups(size);
    else pass.dispatchWorkgroups(size[0], size[1]);
    pass.end();
  }

  private checkAlive(): void {
    if (this.destroyed) throw new AvatarInputError('rasterizer: expected a live rasterizer, got one that was destroyed');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of [this.frame, this.projected, this.tileCounts, this.depthKeys, this.depthOrder, this.countsInDepthOrder, this.offsets,
      this.counts, this.dispatchArgs, this.ranges, this.imageBuffer, this.pixelState, this.grad2d, this.ones, this.tileKeys, this.gaussianIds]) {
      b.destroy();
    }
    this.depthSorter.destroy();
    this.tileSorter.destroy();
    this.prefixSum.destroy();
    this.host?.destroy();
    this.profiler?.destroy();
    this.bindGroups.clear();
  }
}

function writeFloats(device: GPUDevice, buffer: GPUBuffer, data: Float32Array): void {
  device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

async function readStaging(staging: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  if (bytes === 0) return new ArrayBuffer(0);
  await staging.mapAsync(GPUMapMode.READ, 0, bytes);
  const copy = staging.getMappedRange(0, bytes).slice(0);
  staging.unmap();
  return copy;
}

/** Scene, gradient and staging buffers of the convenience methods. */
class HostBuffers {
  count = 0;
  readonly means: GPUBuffer;
  readonly scales: GPUBuffer;
  readonly colors: GPUBuffer;
  readonly opacities: GPUBuffer;
  readonly gradImage: GPUBuffer;
  readonly gradMeans: GPUBuffer;
  readonly gradScales: GPUBuffer;
  readonly gradColors: GPUBuffer;
  readonly gradOpacities: GPUBuffer;
  readonly imageStaging: GPUBuffer;
  readonly gradStaging: GPUBuffer;
  readonly countStaging: GPUBuffer;

  constructor(device: GPUDevice, n: number, pixels: number) {
    const make = (label: string, size: number, usage: number) => device.createBuffer({ label: `splat host ${label}`, size: Math.max(16, size), usage });
    this.means = make('means', 12 * n, STORAGE | COPY_DST);
    this.scales = make('scales', 4 * n, STORAGE | COPY_DST);
    this.colors = make('colors', 12 * n, STORAGE | COPY_DST);
    this.opacities = make('opacities', 4 * n, STORAGE | COPY_DST);
    this.gradImage = make('grad image', 12 * pixels, STORAGE | COPY_DST);
    this.gradMeans = make('grad means', 12 * n, STORAGE | COPY_SRC);
    this.gradScales = make('grad scales', 4 * n, STORAGE | COPY_SRC);
    this.gradColors = make('grad colors', 12 * n, STORAGE | COPY_SRC);
    this.gradOpacities = make('grad opacities', 4 * n, STORAGE | COPY_SRC);
    this.imageStaging = make('image staging', 12 * pixels, GPUBufferUsage.MAP_READ | COPY_DST);
    this.gradStaging = make('grad staging', 32 * n, GPUBufferUsage.MAP_READ | COPY_DST);
    this.countStaging = make('count staging', 16, GPUBufferUsage.MAP_READ | COPY_DST);
  }

  scene(count: number): SplatGpuScene {
    return { means: this.means, scales: this.scales, colors: this.colors, opacities: this.opacities, count };
  }

  destroy(): void {
    for (const b of [this.means, this.scales, this.colors, this.opacities, this.gradImage, this.gradMeans, this.gradScales,
      this.gradColors, this.gradOpacities, this.imageStaging, this.gradStaging, this.countStaging]) {
      b.destroy();
    }
  }
}

/** Timestamps written by empty compute passes between stages; stage time = next mark − this mark. */
class Profiler {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly staging: GPUBuffer;
  private labels: string[] = [];

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: MAX_TIMESTAMPS });
    this.resolve = device.createBuffer({ size: 8 * MAX_TIMESTAMPS, usage: GPUBufferUsage.QUERY_RESOLVE | COPY_SRC });
    this.staging = device.createBuffer({ size: 8 * MAX_TIMESTAMPS, usage: GPUBufferUsage.MAP_READ | COPY_DST });
  }

  reset(): void {
    this.labels = [];
  }

  mark(encoder: GPUCommandEncoder, label: string): void {
    // Backward continues the forward's list: drop the forward's closing 'end' mark.
    if (this.labels.at(-1) === 'end') this.labels.pop();
    if (this.labels.length >= MAX_TIMESTAMPS) return;
    encoder.beginComputePass({ timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: this.labels.length } }).end();
    this.labels.push(label);
  }

  async read(): Promise<StageTiming[]> {
    const n = this.labels.length;
    if (n < 2) return [];
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, n, this.resolve, 0);
    encoder.copyBufferToBuffer(this.resolve, 0, this.staging, 0, 8 * n);
    this.device.queue.submit([encoder.finish()]);
    const times = new BigUint64Array(await readStaging(this.staging, 8 * n));
    const out: StageTiming[] = [];
    for (let i = 0; i + 1 < n; i++) out.push({ stage: this.labels[i], ms: Number(times[i + 1] - times[i]) / 1e6 });
    return out;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolve.destroy();
    this.staging.destroy();
  }
}
