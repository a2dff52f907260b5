/**
 * The photometric training loss on the GPU, loss = l1Weight·L1 + ssimWeight·(1 − SSIM) (DESIGN.md:
 * 0.8 and 0.2), with its exact gradient w.r.t. the rendered image.
 *
 * SSIM as in 3DGS / pytorch-ssim: 11 × 11 Gaussian window (σ = 1.5) applied separably, zero padding
 * 'same' (F.conv2d with padding 5), C1 = 0.01², C2 = 0.03², mean over pixels and channels. The
 * gradient goes through the windowed means μ, σ², σxy by the chain rule (wgsl/ssim_*.wgsl).
 * Every kernel is one thread per element with no workgroup memory: a rows pass and a columns
 * pass each way, so they also run quickly on CPU WebGPU (SwiftShader), where tiled kernels with
 * barriers were ~20× slower.
 *
 * With `space: 'srgb'` the loss compares linear_to_srgb(rendered) with linear_to_srgb(target) (both
 * clamped to 0…1; wgsl/encode_srgb*.wgsl), so errors weigh as a screen shows them, and the
 * gradient is taken back through the curve's slope to the linear image; the summary's L1, SSIM,
 * MSE and PSNR are then those of the sRGB images.
 *
 * Buffer layouts (f32, STORAGE usage):
 * - rendered, target, gradOut: H × W × 3 linear RGB, row-major, top row first (element
 *   (py·W + px)·3 + c) — what the splat rasterizer renders and what its backward takes as gradImage.
 * - gradOut receives ∂loss/∂rendered (overwritten).
 * - lossOut (optional) receives 5 f32 at lossOffset: [loss, L1 = mean |x − y|, SSIM (mean, 1 = equal),
 *   MSE, PSNR dB (−10·log10 MSE, ≤ 100)]; parseImageLossSummary names them. Leave it out on steps
 *   that do not log: the gradient does not need the scalar, and the sums are skipped.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import ssimWindowHelpers from '../../../wgsl/helpers/ssim_window.wgsl';
import srgbHelpers from '../../../wgsl/helpers/srgb.wgsl';
import encodeSrgbSource from '../../../wgsl/encode_srgb.wgsl';
import encodeSrgbBackwardSource from '../../../wgsl/encode_srgb_backward.wgsl';
import l1Source from '../../../wgsl/l1_loss.wgsl';
import ssimForwardRowsSource from '../../../wgsl/ssim_forward_blur_rows.wgsl';
import ssimForwardSource from '../../../wgsl/ssim_forward.wgsl';
import ssimBackwardRowsSource from '../../../wgsl/ssim_backward_blur_rows.wgsl';
import ssimBackwardSource from '../../../wgsl/ssim_backward.wgsl';
import summarySource from '../../../wgsl/write_image_loss.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, f32Bits, requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject } from '../nn/kernel-utils.js';
import { requireDevice } from './require-device.js';
import { IMAGE_LOSS_SUMMARY_FLOATS } from './loss-summary.js';
import { createSumReducer, type SumReducer } from './reduce-sum.js';

export { IMAGE_LOSS_SUMMARY_FLOATS } from './loss-summary.js';

/** Widest or tallest image accepted (scratch size is checked against the device separately). */
const MAX_SIDE = 65535;

export interface ImageLossOptions {
  /** Image width in pixels (≥ 1). */
  width: number;
  /** Image height in pixels (≥ 1). */
  height: number;
  /** Weight of mean |rendered − target|. Default 0.8. */
  l1Weight?: number;
  /** Weight of (1 − mean SSIM). Default 0.2. */
  ssimWeight?: number;
  /** Where the images are compared: 'linear' (default) as given, or 'srgb' after the sRGB curve. */
  space?: LossSpace;
}

/** Where the image loss compares the images: linear RGB as rendered, or sRGB as a screen shows them. */
export type LossSpace = 'linear' | 'srgb';

export interface ImageLossArgs {
  /** H × W × 3 f32, the rendered image. */
  rendered: GPUBuffer;
  /** H × W × 3 f32, the composited ground truth (see createTargetCompositor). */
  target: GPUBuffer;
  /** Receives ∂loss/∂rendered, H × W × 3 f32 (overwritten). */
  gradOut: GPUBuffer;
  /** Receives [loss, L1, SSIM, MSE, PSNR] at lossOffset; optional. */
  lossOut?: GPUBuffer;
  /** First f32 of the summary in lossOut. Default 0. */
  lossOffset?: number;
}

export interface ImageLoss {
  readonly width: number;
  readonly height: number;
  readonly l1Weight: number;
  readonly ssimWeight: number;
  readonly space: LossSpace;
  /** Encodes the loss and its gradient as one compute pass. */
  encode(encoder: GPUCommandEncoder, args: ImageLossArgs): void;
  /** The same inside a compute pass the caller owns. */
  encodeInPass(pass: GPUComputePassEncoder, args: ImageLossArgs): void;
  destroy(): void;
}

/**
 * Creates the image loss for one image size. Keeps 11·H·W·3 f32 of scratch (row-blurred SSIM
 * statistics, the SSIM backward coefficients, per-element loss terms; 13 with space 'srgb': the
 * sRGB images): about 270 MB at 1920 × 1080.
 * The largest scratch buffer (5·H·W·3 f32) must fit the device's maxStorageBufferBindingSize.
 */
export function createImageLoss(device: GPUDevice, options: ImageLossOptions): ImageLoss {
  requireDevice(device);
  requireObject('options', options);
  requireInteger('width', options.width, 1, MAX_SIDE);
  requireInteger('height', options.height, 1, MAX_SIDE);
  const l1Weight = options.l1Weight ?? 0.8;
  const ssimWeight = options.ssimWeight ?? 0.2;
  requireFinite('l1Weight', l1Weight, 0);
  requireFinite('ssimWeight', ssimWeight, 0);
  const space = options.space ?? 'linear';
  if (space !== 'linear' && space !== 'srgb') throw new AvatarInputError(`space: expected 'linear' or 'srgb', got ${describeValue(space)}`);
  const bytes = 4 * 5 * 3 * options.width * options.height;
  if (bytes > device.limits.maxStorageBufferBindingSize) {
    throw new AvatarInputError(`width × height: ${options.width} × ${options.height} needs ${bytes}-byte scratch buffers, more than this device's maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}`);
  }
  return new GpuImageLoss(device, options.width, options.height, l1Weight, ssimWeight, space);
}

class GpuImageLoss implements ImageLoss {
  private readonly count: number;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly l1Pipeline: GPUComputePipeline;
  private readonly ssimForwardRowsPipeline: GPUComputePipeline;
  private readonly ssimForwardPipeline: GPUComputePipeline;
  private readonly ssimBackwardRowsPipeline: GPUComputePipeline;
  private readonly ssimBackwardPipeline: GPUComputePipeline;
  private readonly summaryPipeline: GPUComputePipeline;
  private readonly reducer: SumReducer;
  /** 3 × N per-element terms: |d|/N, d²/N, SSIM/N. */
  private readonly terms: GPUBuffer;
  /** 5 × N row-blurred x, y, x², y², xy (forward); then 3 × N row-blurred coefficients (backward). */
  private readonly rows: GPUBuffer;
  /** 3 × N SSIM backward coefficients ∂S/∂m1, ∂S/∂m11, ∂S/∂m12. */
  private readonly coefficients: GPUBuffer;
  /** [mean L1, MSE, mean SSIM]. */
  private readonly sums: GPUBuffer;
  /** space 'srgb': the pipelines and the sRGB rendered and target images (2 × N). */
  private readonly srgb?: { forward: GPUComputePipeline; backward: GPUComputePipeline; rendered: GPUBuffer; target: GPUBuffer };

  constructor(private readonly device: GPUDevice, readonly width: number, readonly height: number, readonly l1Weight: number, readonly ssimWeight: number, readonly space: LossSpace) {
    this.count = 3 * width * height;
    this.constants = new ConstantBuffers(device);
    this.l1Pipeline = createPipeline(device, 'l1_loss', dispatchHelpers + l1Source);
    const ssimHelpers = dispatchHelpers + ssimWindowHelpers;
    this.ssimForwardRowsPipeline = createPipeline(device, 'ssim_forward_blur_rows', ssimHelpers + ssimForwardRowsSource);
    this.ssimForwardPipeline = createPipeline(device, 'ssim_forward', ssimHelpers + ssimForwardSource);
    this.ssimBackwardRowsPipeline = createPipeline(device, 'ssim_backward_blur_rows', ssimHelpers + ssimBackwardRowsSource);
    this.ssimBackwardPipeline = createPipeline(device, 'ssim_backward', ssimHelpers + ssimBackwardSource);
    this.summaryPipeline = createPipeline(device, 'write_image_loss', summarySource);
    this.reducer = createSumReducer(device, { maxCount: this.count, maxRows: 3 });
    const scratch = (label: string, floats: number) => device.createBuffer({ label, size: 4 * floats, usage: GPUBufferUsage.STORAGE });
    this.rows = scratch('ssim row sums', 5 * this.count);
    this.terms = scratch('image loss terms', 3 * this.count);
    this.coefficients = scratch('ssim backward coefficients', 3 * this.count);
    this.sums = scratch('image loss sums', 4);
    if (space === 'srgb') {
      this.srgb = {
        forward: createPipeline(device, 'encode_srgb', dispatchHelpers + srgbHelpers + encodeSrgbSource),
        backward: createPipeline(device, 'encode_srgb_backward', dispatchHelpers + srgbHelpers + encodeSrgbBackwardSource),
        rendered: scratch('image loss rendered, sRGB', this.count),
        target: scratch('image loss target, sRGB', this.count),
      };
    }
  }

  encode(encoder: GPUCommandEncoder, args: ImageLossArgs): void {
    this.check(args);
    const pass = encoder.beginComputePass({ label: 'image loss' });
    this.encodeInPass(pass, args);
    pass.end();
  }

  encodeInPass(pass: GPUComputePassEncoder, args: ImageLossArgs): void {
    const lossOffset = this.check(args);
    const { gradOut, lossOut } = args;
    const { device, count, width, height, srgb } = this;
    const bind = (pipeline: GPUComputePipeline, buffers: GPUBuffer[]) => this.bindGroups.get([pipeline, ...buffers], () => bindBuffers(device, pipeline, buffers));
    let { rendered, target } = args;
    if (srgb) {
      const pixelParams = this.constants.get([width * height]);
      pass.setPipeline(srgb.forward);
      for (const [from, to] of [[rendered, srgb.rendered], [target, srgb.target]] as const) {
        pass.setBindGroup(0, bind(srgb.forward, [from, to, pixelParams]));
        dispatchItems(pass, width * height);
      }
      rendered = srgb.rendered;
      target = srgb.target;
    }

    const l1Params = this.constants.get([count, f32Bits(this.l1Weight / count), f32Bits(1 / count)]);
    pass.setPipeline(this.l1Pipeline);
    pass.setBindGroup(0, bind(this.l1Pipeline, [rendered, target, gradOut, this.terms, l1Params]));
    dispatchItems(pass, count);

    const sizeParams = this.constants.get([width, height]);
    pass.setPipeline(this.ssimForwardRowsPipeline);
    pass.setBindGroup(0, bind(this.ssimForwardRowsPipeline, [sizeParams, rendered, target, this.rows]));
    dispatchItems(pass, count);

    const forwardParams = this.constants.get([width, height, f32Bits(1 / count)]);
    pass.setPipeline(this.ssimForwardPipeline);
    pass.setBindGroup(0, bind(this.ssimForwardPipeline, [forwardParams, this.rows, this.coefficients, this.terms]));
    dispatchItems(pass, count);

    pass.setPipeline(this.ssimBackwardRowsPipeline);
    pass.setBindGroup(0, bind(this.ssimBackwardRowsPipeline, [sizeParams, this.coefficients, this.rows]));
    dispatchItems(pass, count);

    const backwardParams = this.constants.get([width, height, f32Bits(-this.ssimWeight / count)]);
    pass.setPipeline(this.ssimBackwardPipeline);
    pass.setBindGroup(0, bind(this.ssimBackwardPipeline, [backwardParams, this.rows, rendered, target, gradOut]));
    dispatchItems(pass, count);

    if (srgb) {
      // ∂loss/∂srgb → ∂loss/∂linear through the curve's slope at the linear rendered image.
      pass.setPipeline(srgb.backward);
      pass.setBindGroup(0, bind(srgb.backward, [args.rendered, gradOut, this.constants.get([count])]));
      dispatchItems(pass, count);
    }

    if (!lossOut) return;
    this.reducer.encodeInPass(pass, { input: this.terms, count, rows: 3, output: this.sums });
    const summaryParams = this.constants.get([f32Bits(this.l1Weight), f32Bits(this.ssimWeight), lossOffset]);
    pass.setPipeline(this.summaryPipeline);
    pass.setBindGroup(0, bind(this.summaryPipeline, [this.sums, lossOut, summaryParams]));
    pass.dispatchWorkgroups(1);
  }

  /** Validates the arguments (before anything is encoded); returns lossOffset. */
  private check(args: ImageLossArgs): number {
    requireObject('image loss args', args);
    requireFloats('rendered', args.rendered, this.count);
    requireFloats('target', args.target, this.count);
    requireFloats('gradOut', args.gradOut, this.count);
    requireNoAlias('gradOut', args as unknown as Record<string, unknown>, ['rendered', 'target']);
    const lossOffset = args.lossOffset ?? 0;
    requireInteger('lossOffset', lossOffset, 0, 2 ** 30);
    if (args.lossOut !== undefined) {
      requireFloats('lossOut', args.lossOut, lossOffset + IMAGE_LOSS_SUMMARY_FLOATS);
      requireNoAlias('lossOut', args as unknown as Record<string, unknown>, ['rendered', 'target', 'gradOut']);
    }
    return lossOffset;
  }

  destroy(): void {
    this.reducer.destroy();
    this.rows.destroy();
    this.terms.destroy();
    this.coefficients.destroy();
    this.sums.destroy();
    this.srgb?.rendered.destroy();
    this.srgb?.target.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
