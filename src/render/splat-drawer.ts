/**
 * Playback splatting through the hardware rasterizer: the same image as the training rasterizer
 * (splat-rasterizer.ts: EWA `J W Σ Wᵀ Jᵀ + 0.3·I`, 3σ radius, α = min(0.99, o·exp(−½dᵀΣ'⁻¹d)),
 * α < 1/255 skipped, front to back by view depth, C + T·bg), made for drawing, not for gradients:
 *
 *   project_splats_for_draw (cull, visible flags and counts per chunk of 128, depth range)
 *   → scan_visible_chunks (each chunk's first compact slot, the visible count, the draw's vertex count)
 *   → write_depth_keys (compact the visible into 18-bit depth keys over the visible range)
 *   → chunked radix sort of the visible only (chunked-radix-sort.ts), 3 passes of 6 bits
 *   → draw_splats: a triangle around each splat's α ≥ 1/255 ellipse (3 vertices, one draw), hardware
 *     blending front to back into a linear float target
 *   → present_splat_image: C + T·bg, sRGB-encoded into the caller's colour target, over the box of
 *     drawn pixels only (the pass clears the rest to the background).
 *
 * Five compute passes (the sort's one) and two render passes per frame, one command encoder; the vertex count of
 * the draw (3 per visible splat, one non-instanced draw: SwiftShader makes every instance a draw call
 * of its own) and the sort's count come from the compaction on the GPU (no readback). The compaction is
 * by chunks in index order (no per-Gaussian workgroup memory or barriers, slow on SwiftShader), not
 * by an atomic slot counter, so a frame is deterministic and equal keys draw in index order.
 * Nothing per pixel is kept for a backward pass. Differences from the rasterizer: no early stop at T < 1e-4
 * (those splats add < 1e-4); each splat shades exactly where α ≥ 1/255 (its triangle is fitted
 * around that ellipse), where the rasterizer shades the 16×16 tiles its 3σ square touches (the two
 * differ only where α < 0.011, beyond 3σ); and depths closer than 1/262143 of the visible range
 * may swap order (18-bit keys, 3 passes of the chunked sort: on the default avatar the image is
 * within 0.006/255 of the rasterizer's with 12 bits too, but near-equal depths in a small test
 * scene (avatar-renderer-draw test) swapped into single pixels 61 levels apart; 18 bits: ≤ 2).
 *
 * Colour: Gaussian colours and the background are linear RGB; blending happens in linear (the float
 * target); the screen gets sRGB (encoded in the shader, or by the hardware when the target's format
 * is an -srgb one). The target is rgba32float where the device has 'float32-blendable'
 * (requestGpuDevice asks for it), else rgba16float: SwiftShader blends rgba32float 1.7× faster than
 * rgba16float (draw 304 → 179 ms, 64k at 1280×720), as fast as rgba8unorm. An 8-bit target could
 * not blend well: front to back needs 1 − T to more than 8 bits, and back to front rounds every
 * layer in linear (0.8 sRGB levels mean error over the figure, more in the darks).
 *
 * Conventions as the rasterizer's (raster-types.ts): OpenCV camera, pixel centres at +0.5,
 * column-major matrices.
 */
import frameHelpers from '../../wgsl/helpers/splat_frame.wgsl';
import drawHelpers from '../../wgsl/helpers/splat_draw.wgsl';
import srgbHelpers from '../../wgsl/helpers/srgb.wgsl';
import projectSource from '../../wgsl/project_splats_for_draw.wgsl';
import scanSource from '../../wgsl/scan_visible_chunks.wgsl';
import keysSource from '../../wgsl/write_depth_keys.wgsl';
import drawSource from '../../wgsl/draw_splats.wgsl';
import presentSource from '../../wgsl/present_splat_image.wgsl';
import { linearToSrgb } from '../color/srgb.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from '../gpu/bind-group-cache.js';
import type { GpuProfiler } from '../gpu/gpu-profiler.js';
import { requireUsage } from '../gpu/indirect.js';
import { createChunkedRadixSorter, type ChunkedRadixSorter } from '../gpu/chunked-radix-sort.js';
import { cachedComputePipeline, cachedPipeline } from '../gpu/pipeline-cache.js';
import { FRAME_BYTES, frameUniformBytes } from './frame-uniform.js';
import type { SplatCamera } from './raster-types.js';
import { checkDimension, checkSplatTarget, validateCamera, validateScene } from './validate-scene.js';
import { COPY_DST, COPY_SRC, STORAGE } from '../gpu/buffer-usage.js';

/** Bytes of one DrawSplat record (wgsl/helpers/splat_draw.wgsl). */
const DRAW_SPLAT_BYTES = 48;
/** Gaussians per compaction chunk; VISIBLE_CHUNK in wgsl/helpers/splat_draw.wgsl. */
const VISIBLE_CHUNK = 128;
/** Counters: drawIndirect's 4 u32, the visible count, the depth range's f32 bits, padding, the drawn pixel box. */
const COUNTER_WORDS = 12;
/** Depth key width; wgsl/helpers/splat_draw.wgsl's DEPTH_KEY_MAX is 2^bits − 1. */
const DEPTH_KEY_BITS = 18;
/** Format of the linear target the splats are blended into on `device`: rgba32float where it can blend it. */
export function splatTargetFormat(device: GPUDevice): GPUTextureFormat {
  return device.features.has('float32-blendable') ? 'rgba32float' : 'rgba16float';
}

export interface SplatDrawerOptions {
  /** Image width in pixels (≥ 1). */
  width: number;
  /** Image height in pixels (≥ 1). */
  height: number;
  /** Largest N that will be drawn (≥ 1). */
  maxGaussians: number;
  /** Records per-stage GPU times into this profiler (its owner resets and reads it). */
  profiler?: GpuProfiler;
}

/** Gaussians in GPU buffers (STORAGE usage), as SplatForwardArgs of the rasterizer. */
export interface SplatDrawArgs {
  /** N×3 f32 centres, world units, tightly packed xyz. */
  means: GPUBuffer;
  /** N f32 isotropic σ, world units. */
  scales: GPUBuffer;
  /** N×3 f32 linear RGB. */
  colors: GPUBuffer;
  /** N f32 opacities in [0, 1]; omitted = all 1. */
  opacities?: GPUBuffer;
  /** N, an integer in 0…maxGaussians. */
  count: number;
  camera: SplatCamera;
  /** Background, linear RGB; default [0, 0, 0]. */
  background?: ArrayLike<number>;
}

/** The drawer's intermediate buffers (COPY_SRC), for tests and the bench; valid after a submitted frame. */
export interface SplatDrawerStages {
  /** 12 u32: drawIndirect's (3·V, 1, 0, 0), the visible count V, f32 bits of the visible depth min and max, 0, then
   * the pixel box x0, y0, x1, y1 (exclusive) holding every drawn pixel (empty: x0 > x1). */
  counters: GPUBuffer;
  /** N DrawSplat records (48 bytes: xy, radius, depth, conic A B C, opacity, rgb, u32 index), written for the visible ones. */
  splats: GPUBuffer;
  /** N u32: 1 for a visible Gaussian, else 0. */
  visible: GPUBuffer;
  /** ceil(N / 128) u32: the first compact slot of each chunk of 128 Gaussians (visible ones before it). */
  chunkOffsets: GPUBuffer;
  /** V u32 sort keys (sorted after the frame). */
  keys: GPUBuffer;
  /** V u32: the visible Gaussians' indices in draw order (after the frame). */
  order: GPUBuffer;
  /** width×height, splatTargetFormat(device): premultiplied (Σ cᵢαᵢTᵢ, 1 − T_final), linear. */
  image: GPUTexture;
}

export interface SplatDrawer {
  readonly width: number;
  readonly height: number;
  readonly maxGaussians: number;
  readonly stages: SplatDrawerStages;
  /**
   * Encodes the frame into `target` (a width×height view with RENDER_ATTACHMENT usage of format
   * `format`; -srgb formats are encoded by the hardware, others in the shader). Writes the camera and
   * counters with `queue.writeBuffer`, so encode at most one frame per drawer per submit. Throws
   * AvatarInputError on bad arguments (nothing is encoded then).
   */
  encodeDraw(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, args: SplatDrawArgs): void;
  destroy(): void;
}

/** Creates a drawer for `width`×`height` images and up to `maxGaussians` Gaussians. */
export function createSplatDrawer(device: GPUDevice, options: SplatDrawerOptions): SplatDrawer {
  const { width, height } = checkSplatTarget('createSplatDrawer', device, options);
  const maxRecords = Math.floor(device.limits.maxStorageBufferBindingSize / DRAW_SPLAT_BYTES);
  const maxGaussians = checkDimension('options.maxGaussians', options.maxGaussians, Math.min(maxRecords, 256 * device.limits.maxComputeWorkgroupsPerDimension));
  return new GpuSplatDrawer(device, width, height, maxGaussians, options.profiler);
}

class GpuSplatDrawer implements SplatDrawer {
  readonly stages: SplatDrawerStages;
  private readonly frame: GPUBuffer;
  private readonly ones: GPUBuffer;
  private readonly imageView: GPUTextureView;
  private readonly sorter: ChunkedRadixSorter;
  private readonly projectPipeline: GPUComputePipeline;
  private readonly scanPipeline: GPUComputePipeline;
  private readonly keysPipeline: GPUComputePipeline;
  private readonly drawPipeline: GPURenderPipeline;
  private readonly presentPipelines = new Map<string, GPURenderPipeline>();
  private readonly bindGroups = new BindGroupCache();
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice, readonly width: number, readonly height: number, readonly maxGaussians: number,
    private readonly profiler?: GpuProfiler,
  ) {
    const n = maxGaussians;
    const buffer = (label: string, size: number, usage: number) => device.createBuffer({ label: `splat drawer ${label}`, size: Math.max(16, size), usage });
    this.frame = buffer('frame', FRAME_BYTES, GPUBufferUsage.UNIFORM | COPY_DST);
    this.ones = buffer('ones', 4 * n, STORAGE | COPY_DST);
    device.queue.writeBuffer(this.ones, 0, new Float32Array(n).fill(1));
    this.stages = {
      counters: buffer('counters', 4 * COUNTER_WORDS, STORAGE | GPUBufferUsage.INDIRECT | COPY_SRC | COPY_DST),
      splats: buffer('splats', DRAW_SPLAT_BYTES * n, STORAGE | COPY_SRC),
      visible: buffer('visible', 4 * n, STORAGE | COPY_SRC),
      chunkOffsets: buffer('chunk offsets', 4 * Math.ceil(n / VISIBLE_CHUNK), STORAGE | COPY_SRC | COPY_DST),
      keys: buffer('keys', 4 * n, STORAGE | COPY_SRC),
      order: buffer('order', 4 * n, STORAGE | COPY_SRC),
      image: device.createTexture({
        label: 'splat drawer image', size: [width, height], format: splatTargetFormat(device),
        usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_SRC,
      }),
    };
    this.imageView = this.stages.image.createView();
    // Not radix-sort.ts: on SwiftShader its workgroup ranks cost ~55 ms per pass for 64k keys,
    // the chunked sort ~3 ms (64k 12-bit keys: 187 → 6 ms).
    this.sorter = createChunkedRadixSorter(device, n);
    const compute = (label: string, code: string) => cachedComputePipeline(device, label, code);
    this.projectPipeline = compute('project_splats_for_draw', frameHelpers + drawHelpers + projectSource);
    this.scanPipeline = compute('scan_visible_chunks', frameHelpers + drawHelpers + scanSource);
    this.keysPipeline = compute('write_depth_keys', frameHelpers + drawHelpers + keysSource);
    const imageFormat = this.stages.image.format;
    this.drawPipeline = cachedPipeline(device, `draw_splats ${imageFormat}`, () => {
      const drawModule = device.createShaderModule({ label: 'draw_splats', code: frameHelpers + drawHelpers + drawSource });
      return device.createRenderPipeline({
        label: 'draw_splats',
        layout: 'auto',
        vertex: { module: drawModule, entryPoint: 'vertexMain' },
        fragment: {
          module: drawModule,
          entryPoint: 'fragmentMain',
          // Front to back, premultiplied: dst += src·(1 − dst.a). Chosen over back to front
          // (src + dst·(1 − src.a)) because it keeps the training rasterizer's order and
          // transmittance (dst.a = 1 − T) exactly, so the background is added once, as C + T·bg.
          targets: [{
            format: imageFormat,
            blend: {
              color: { srcFactor: 'one-minus-dst-alpha', dstFactor: 'one', operation: 'add' },
              alpha: { srcFactor: 'one-minus-dst-alpha', dstFactor: 'one', operation: 'add' },
            },
          }],
        },
        primitive: { topology: 'triangle-list' },
      });
    });
  }

  encodeDraw(encoder: GPUCommandEncoder, target: GPUTextureView, format: GPUTextureFormat, args: SplatDrawArgs): void {
    this.checkAlive();
    const count = this.checkArgs(args);
    const camera = validateCamera(args.camera, this.width, this.height);
    const background = validateScene({ means: new Float32Array(0), scales: new Float32Array(0), colors: new Float32Array(0), background: args.background }, 0).background;
    if (!(target instanceof GPUTextureView)) throw new AvatarInputError(`target: expected a GPUTextureView, got ${describeValue(target)}`);
    if (typeof format !== 'string') throw new AvatarInputError(`format: expected a GPUTextureFormat string, got ${describeValue(format)}`);
    const present = this.presentPipeline(format);
    const queue = this.device.queue;
    queue.writeBuffer(this.frame, 0, frameUniformBytes({ camera, width: this.width, height: this.height, count, background, capacity: 0 }));
    queue.writeBuffer(this.stages.counters, 0, new Uint32Array([0, 1, 0, 0, 0, 0xffffffff, 0, 0, 0xffffffff, 0xffffffff, 0, 0]));
    const { counters, splats, visible, chunkOffsets, keys, order } = this.stages;
    const prof = this.profiler;
    if (count > 0) {
      const groups = Math.ceil(count / 256);
      const chunkGroups = Math.ceil(count / VISIBLE_CHUNK / 64);
      prof?.mark(encoder, 'project');
      encoder.clearBuffer(chunkOffsets);
      this.dispatch(encoder, this.projectPipeline, [this.frame, args.means, args.scales, args.colors, args.opacities ?? this.ones, splats, counters, visible, chunkOffsets], groups);
      prof?.mark(encoder, 'compact');
      this.dispatch(encoder, this.scanPipeline, [this.frame, counters, chunkOffsets], 1);
      this.dispatch(encoder, this.keysPipeline, [this.frame, counters, visible, chunkOffsets, splats, keys, order], chunkGroups);
      prof?.mark(encoder, 'sort');
      this.sorter.encode(encoder, { keys, values: order, count: { buffer: counters, offset: 16 }, bits: DEPTH_KEY_BITS });
    }
    prof?.mark(encoder, 'draw');
    const draw = encoder.beginRenderPass({
      label: 'draw splats',
      colorAttachments: [{ view: this.imageView, loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 0] }],
    });
    draw.setPipeline(this.drawPipeline);
    draw.setBindGroup(0, this.bindGroup(this.drawPipeline, [this.frame, splats, order]));
    draw.drawIndirect(counters, 0);
    draw.end();
    prof?.mark(encoder, 'present');
    const pass = encoder.beginRenderPass({
      label: 'present splat image',
      // The background outside the box of drawn pixels, encoded as present_splat_image encodes it.
      colorAttachments: [{ view: target, loadOp: 'clear', storeOp: 'store', clearValue: [...(format.endsWith('-srgb') ? background : background.map(linearToSrgb)), 1] }],
    });
    pass.setPipeline(present);
    pass.setBindGroup(0, this.bindGroups.get([present, this.imageView], () =>
      this.device.createBindGroup({
        layout: present.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: this.frame } }, { binding: 1, resource: this.imageView }, { binding: 2, resource: { buffer: counters } }],
      }),
    ));
    pass.draw(6);
    pass.end();
    prof?.mark(encoder, 'end');
  }

  private presentPipeline(format: GPUTextureFormat): GPURenderPipeline {
    let pipeline = this.presentPipelines.get(format);
    if (!pipeline) {
      pipeline = cachedPipeline(this.device, `present_splat_image ${format}`, () => {
        const module = this.device.createShaderModule({ label: 'present_splat_image', code: frameHelpers + drawHelpers + srgbHelpers + presentSource });
        return this.device.createRenderPipeline({
          label: `present_splat_image ${format}`,
          layout: 'auto',
          vertex: { module, entryPoint: 'vertexMain' },
          fragment: { module, entryPoint: 'fragmentMain', targets: [{ format }], constants: { ENCODE_SRGB: format.endsWith('-srgb') ? 0 : 1 } },
          primitive: { topology: 'triangle-list' },
        });
      });
      this.presentPipelines.set(format, pipeline);
    }
    return pipeline;
  }

  private checkArgs(args: SplatDrawArgs): number {
    if (args === null || typeof args !== 'object') {
      throw new AvatarInputError(`args: expected { means, scales, colors, opacities?, count, camera, background? }, got ${describeValue(args)}`);
    }
    const count = args.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > this.maxGaussians) {
      throw new AvatarInputError(`count: expected an integer in 0…${this.maxGaussians} (maxGaussians), got ${describeValue(count)}`);
    }
    const fields: [string, unknown, number, string][] = [
      ['means', args.means, 12 * count, 'N×3 f32'], ['scales', args.scales, 4 * count, 'N f32'], ['colors', args.colors, 12 * count, 'N×3 f32'],
    ];
    if (args.opacities !== undefined) fields.push(['opacities', args.opacities, 4 * count, 'N f32']);
    for (const [field, buffer, bytes, layout] of fields) {
      requireUsage(field, buffer, STORAGE, 'STORAGE');
      if (buffer.size < bytes) throw new AvatarInputError(`${field}: expected a buffer of at least ${layout} (${bytes} bytes), got ${buffer.size} bytes`);
    }
    return count;
  }

  private bindGroup(pipeline: GPUComputePipeline | GPURenderPipeline, buffers: GPUBuffer[]): GPUBindGroup {
    return this.bindGroups.get([pipeline, ...buffers], () =>
      this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
  }

  /** One compute pass with one dispatch of `groups` workgroups. */
  private dispatch(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], groups: number): void {
    const pass = encoder.beginComputePass({ label: pipeline.label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroup(pipeline, buffers));
    pass.dispatchWorkgroups(groups);
    pass.end();
  }

  private checkAlive(): void {
    if (this.destroyed) throw new AvatarInputError('drawer: expected a live splat drawer, got one that was destroyed');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const { counters, splats, visible, chunkOffsets, keys, order, image } = this.stages;
    for (const b of [this.frame, this.ones, counters, splats, visible, chunkOffsets, keys, order]) b.destroy();
    image.destroy();
    this.sorter.destroy();
    this.bindGroups.clear();
  }
}
