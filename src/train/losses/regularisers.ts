/**
 * Regularisers of the appearance network's outputs and parameters, with gradients, on the GPU:
 * - total variation of a C × H × W tensor (wgsl/tv_loss.wgsl) — smoothness of the feature tensor;
 * - squared magnitude, optionally a hinge above a bound (wgsl/l2_regulariser.wgsl) — mean ‖δ‖² of
 *   the offsets (components 3), mean σ² of the scales (components 1), or only the part of |σ|
 *   above `bound`;
 * - squared difference to a mirror twin (wgsl/mirror_regulariser.wgsl) — a Gaussian no frame saw
 *   takes after the seen Gaussian nearest its mirror image, its values mirrored by per-component
 *   signs, the twin held fixed.
 * Gradients are ADDED to `grad` by default (accumulate: true), since the network's backward pass
 * has usually just written the same parameters' gradient; pass accumulate: false to overwrite.
 * The weighted loss (a scalar) is written to lossOut[lossOffset] when lossOut is given, by the
 * deterministic tree sum of reduce-sum.ts.
 *
 * Layouts (f32, STORAGE usage): tensor/grad C × H × W channel-major (e = (c·H + i)·W + j — the
 * feature tensor's C × R × R layout); values/grad items × components, row-major.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import tvSource from '../../../wgsl/tv_loss.wgsl';
import l2Source from '../../../wgsl/l2_regulariser.wgsl';
import mirrorSource from '../../../wgsl/mirror_regulariser.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, f32Bits, requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject } from '../nn/kernel-utils.js';
import { requireDevice } from './require-device.js';
import { createSumReducer, type SumReducer } from './reduce-sum.js';

export interface RegularisersOptions {
  /** Most values one call regularises (C·H·W, or items × components), ≥ 1. */
  maxElements: number;
}

interface RegulariserOutputs {
  /** Loss weight (finite, ≥ 0). */
  weight: number;
  /** Receives ∂(weight·L)/∂values, same layout as the input (added to unless accumulate is false). */
  grad: GPUBuffer;
  /** Add to `grad` (true, default) or overwrite it (false). */
  accumulate?: boolean;
  /** Receives the weighted loss (1 f32) at lossOffset; optional. */
  lossOut?: GPUBuffer;
  /** f32 index in lossOut. Default 0. */
  lossOffset?: number;
}

export interface TotalVariationArgs extends RegulariserOutputs {
  /** C × H × W f32, channel-major. */
  tensor: GPUBuffer;
  channels: number;
  height: number;
  width: number;
}

export interface L2Args extends RegulariserOutputs {
  /** items × components f32. */
  values: GPUBuffer;
  /** Number of items the mean runs over (≥ 1). */
  items: number;
  /** Values per item: 3 for offsets (mean ‖δ‖²), 1 for scales. */
  components: number;
  /** Only |v| above this counts (hinge); 0 (default) penalises the whole magnitude. */
  bound?: number;
}

export interface MirrorArgs extends RegulariserOutputs {
  /** items × components f32. */
  values: GPUBuffer;
  /** items i32: each item's twin (an item index < items), or −1 for none. */
  twins: GPUBuffer;
  /** Number of items the mean runs over (≥ 1). */
  items: number;
  /** Values per item, 1…4. */
  components: number;
  /** Per component, ±1 (or any finite factor): the twin's value is mirrored to signs[c]·v. */
  signs: readonly number[];
}

export interface Regularisers {
  readonly maxElements: number;
  /**
   * weight·(Σ(f[c,i+1,j] − f[c,i,j])²/(C(H−1)W) + Σ(f[c,i,j+1] − f[c,i,j])²/(CH(W−1))); a
   * direction without pairs (H = 1 or W = 1) adds 0.
   */
  encodeTotalVariation(encoder: GPUCommandEncoder, args: TotalVariationArgs): void;
  /** weight·(1/items)·Σ max(|v| − bound, 0)² over all items × components values. */
  encodeL2(encoder: GPUCommandEncoder, args: L2Args): void;
  /** weight·(1/items)·Σ_{i: twin t ≥ 0} Σ_c (v[i,c] − signs[c]·v[t,c])², gradient to v[i] only (the twin is the target). */
  encodeMirror(encoder: GPUCommandEncoder, args: MirrorArgs): void;
  encodeTotalVariationInPass(pass: GPUComputePassEncoder, args: TotalVariationArgs): void;
  encodeL2InPass(pass: GPUComputePassEncoder, args: L2Args): void;
  encodeMirrorInPass(pass: GPUComputePassEncoder, args: MirrorArgs): void;
  destroy(): void;
}

export function createRegularisers(device: GPUDevice, options: RegularisersOptions): Regularisers {
  requireDevice(device);
  requireObject('options', options);
  requireInteger('maxElements', options.maxElements, 1, 2 ** 30);
  if (4 * options.maxElements > device.limits.maxStorageBufferBindingSize) {
    throw new AvatarInputError(`maxElements: ${options.maxElements} f32 exceed this device's maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}`);
  }
  return new GpuRegularisers(device, options.maxElements);
}

class GpuRegularisers implements Regularisers {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly tvPipeline: GPUComputePipeline;
  private readonly l2Pipeline: GPUComputePipeline;
  private readonly mirrorPipeline: GPUComputePipeline;
  private readonly reducer: SumReducer;
  /** Per-element loss terms of the last call. */
  private readonly terms: GPUBuffer;

  constructor(private readonly device: GPUDevice, readonly maxElements: number) {
    this.constants = new ConstantBuffers(device);
    this.tvPipeline = createPipeline(device, 'tv_loss', dispatchHelpers + tvSource);
    this.l2Pipeline = createPipeline(device, 'l2_regulariser', dispatchHelpers + l2Source);
    this.mirrorPipeline = createPipeline(device, 'mirror_regulariser', dispatchHelpers + mirrorSource);
    this.reducer = createSumReducer(device, { maxCount: maxElements });
    this.terms = device.createBuffer({ label: 'regulariser terms', size: 4 * maxElements, usage: GPUBufferUsage.STORAGE });
  }

  encodeTotalVariation(encoder: GPUCommandEncoder, args: TotalVariationArgs): void {
    this.checkTotalVariation(args);
    const pass = encoder.beginComputePass({ label: 'total variation' });
    this.encodeTotalVariationInPass(pass, args);
    pass.end();
  }

  encodeL2(encoder: GPUCommandEncoder, args: L2Args): void {
    this.checkL2(args);
    const pass = encoder.beginComputePass({ label: 'l2 regulariser' });
    this.encodeL2InPass(pass, args);
    pass.end();
  }

  encodeMirror(encoder: GPUCommandEncoder, args: MirrorArgs): void {
    this.checkMirror(args);
    const pass = encoder.beginComputePass({ label: 'mirror regulariser' });
    this.encodeMirrorInPass(pass, args);
    pass.end();
  }

  encodeTotalVariationInPass(pass: GPUComputePassEncoder, args: TotalVariationArgs): void {
    const count = this.checkTotalVariation(args);
    const { tensor, grad, channels, height, width, weight } = args;
    const vScale = height > 1 ? weight / (channels * (height - 1) * width) : 0;
    const hScale = width > 1 ? weight / (channels * height * (width - 1)) : 0;
    const params = this.constants.get([channels, height, width, args.accumulate === false ? 0 : 1, f32Bits(vScale), f32Bits(hScale)]);
    this.run(pass, this.tvPipeline, [tensor, grad, this.terms, params], count, args);
  }

  encodeL2InPass(pass: GPUComputePassEncoder, args: L2Args): void {
    const count = this.checkL2(args);
    const params = this.constants.get([count, args.accumulate === false ? 0 : 1, f32Bits(args.bound ?? 0), f32Bits(args.weight / args.items)]);
    this.run(pass, this.l2Pipeline, [args.values, args.grad, this.terms, params], count, args);
  }

  encodeMirrorInPass(pass: GPUComputePassEncoder, args: MirrorArgs): void {
    const count = this.checkMirror(args);
    const signs = [0, 1, 2, 3].map((c) => f32Bits(args.signs[c] ?? 0));
    const params = this.constants.get([count, args.components, args.accumulate === false ? 0 : 1, f32Bits(args.weight / args.items), ...signs]);
    this.run(pass, this.mirrorPipeline, [args.values, args.twins, args.grad, this.terms, params], count, args);
  }

  private run(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], count: number, out: RegulariserOutputs): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, ...buffers], () => bindBuffers(this.device, pipeline, buffers)));
    dispatchItems(pass, count);
    if (out.lossOut) this.reducer.encodeInPass(pass, { input: this.terms, count, output: out.lossOut, outputOffset: out.lossOffset ?? 0 });
  }

  private checkOutputs(args: RegulariserOutputs, input: string, count: number): void {
    requireFinite('weight', args.weight, 0);
    requireFloats('grad', args.grad, count);
    if (args.accumulate !== undefined && typeof args.accumulate !== 'boolean') {
      throw new AvatarInputError(`accumulate: expected a boolean, got ${typeof args.accumulate}`);
    }
    const record = args as unknown as Record<string, unknown>;
    requireNoAlias('grad', record, [input]);
    const lossOffset = args.lossOffset ?? 0;
    requireInteger('lossOffset', lossOffset, 0, 2 ** 30);
    if (args.lossOut !== undefined) {
      requireFloats('lossOut', args.lossOut, lossOffset + 1);
      requireNoAlias('lossOut', record, [input, 'grad']);
    }
  }

  private checkTotalVariation(args: TotalVariationArgs): number {
    requireObject('total variation args', args);
    requireInteger('channels', args.channels, 1, this.maxElements);
    requireInteger('height', args.height, 1, this.maxElements);
    requireInteger('width', args.width, 1, this.maxElements);
    const count = args.channels * args.height * args.width;
    if (count > this.maxElements) {
      throw new AvatarInputError(`channels × height × width: expected at most maxElements ${this.maxElements}, got ${args.channels} × ${args.height} × ${args.width} = ${count}`);
    }
    requireFloats('tensor', args.tensor, count);
    this.checkOutputs(args, 'tensor', count);
    return count;
  }

  /** items × components values, each count in range and their product within maxElements; returns the product. */
  private checkItems(args: { items: number; components: number }, maxComponents: number): number {
    requireInteger('items', args.items, 1, this.maxElements);
    requireInteger('components', args.components, 1, maxComponents);
    const count = args.items * args.components;
    if (count > this.maxElements) {
      throw new AvatarInputError(`items × components: expected at most maxElements ${this.maxElements}, got ${args.items} × ${args.components} = ${count}`);
    }
    return count;
  }

  private checkL2(args: L2Args): number {
    requireObject('l2 args', args);
    const count = this.checkItems(args, this.maxElements);
    requireFinite('bound', args.bound ?? 0, 0);
    requireFloats('values', args.values, count);
    this.checkOutputs(args, 'values', count);
    return count;
  }

  private checkMirror(args: MirrorArgs): number {
    requireObject('mirror args', args);
    const count = this.checkItems(args, 4);
    if (!Array.isArray(args.signs) || args.signs.length !== args.components) {
      throw new AvatarInputError(`signs: expected ${args.components} numbers (one per component), got ${describeValue(args.signs)}`);
    }
    args.signs.forEach((s, c) => requireFinite(`signs[${c}]`, s));
    requireFloats('values', args.values, count);
    requireFloats('twins', args.twins, args.items);
    this.checkOutputs(args, 'values', count);
    requireNoAlias('grad', args as unknown as Record<string, unknown>, ['twins']);
    return count;
  }

  destroy(): void {
    this.reducer.destroy();
    this.terms.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
