/**
 * 3×3 convolutions of channel-major feature maps on the GPU, for the U-Net pose encoder
 * (unet-encoder.ts): forward, and backward with respect to the input and to the layer
 * (wgsl/conv2d_*.wgsl, shared code in wgsl/helpers/conv_window.wgsl).
 *
 * Layouts (all f32):
 * - maps: C × H × W channel-major, map[c, y, x] at (c·H + y)·W + x (the feature tensor's layout).
 * - input X: C_in × H × W. With `inputActivation` ≠ 'identity' X holds the previous layer's
 *   pre-activations and the kernels apply act(X) as they load it (fused, as in matmul.ts).
 * - layer: (9·C_in + 1) × C_out row-major: row (dy·3 + dx)·C_in + c holds the weights of input
 *   channel c at window tap (dy, dx) (offsets dy − 1, dx − 1), the last row is the bias — the matmul
 *   layer layout with 9·C_in inputs, so init.ts's heInitLayer fits it.
 * - output Z: C_out × ⌈H/s⌉ × ⌈W/s⌉ for stride s ∈ {1, 2}, zero padding 1 (PyTorch's
 *   Conv2d(kernel 3, stride s, padding 1)).
 * Gradients are overwritten, except ∂L/∂X with `accumulate: true`, which adds to it. The layer
 * gradient is summed in bands of CONV_CHUNK_ROWS output rows, then over the bands (chunked-sum.ts),
 * in a scratch buffer of ⌈H_out/8⌉ · (9·C_in + 1) · C_out f32 allocated on first use.
 */
import activationHelpers from '../../../wgsl/helpers/activation.wgsl';
import convHelpers from '../../../wgsl/helpers/conv_window.wgsl';
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import forwardSource from '../../../wgsl/conv2d_forward.wgsl';
import backwardInputSource from '../../../wgsl/conv2d_backward_input.wgsl';
import backwardWeightsSource from '../../../wgsl/conv2d_backward_weights.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { ChunkedSum } from './chunked-sum.js';
import { bindBuffers, createPipeline, dispatchItems, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

/** Activation applied to a conv's input as it is loaded. */
export type ConvActivation = 'identity' | 'leaky_relu';

/** Codes of helpers/activation.wgsl. */
export const CONV_ACTIVATION_CODES: Record<ConvActivation, number> = { identity: 0, leaky_relu: 3 };

/** Output rows per partial sum of the layer gradient (CHUNK_ROWS in conv2d_backward_weights.wgsl). */
export const CONV_CHUNK_ROWS = 8;

/** Largest channel count and map side the conv kernels take. */
export const MAX_CONV_CHANNELS = 4096;
export const MAX_CONV_SIZE = 8192;

export interface Conv2dShape {
  /** C_in (1…4096). */
  inChannels: number;
  /** C_out (1…4096). */
  outChannels: number;
  /** W and H of the input map (1…8192). */
  width: number;
  height: number;
  /** 1 or 2. */
  stride: 1 | 2;
  /** Default 'identity'. */
  inputActivation?: ConvActivation;
}

export interface Conv2dForwardArgs extends Conv2dShape {
  /** X, C_in × H × W. */
  input: GPUBuffer;
  /** (9·C_in + 1) × C_out. */
  layer: GPUBuffer;
  /** Receives Z, C_out × ⌈H/s⌉ × ⌈W/s⌉. */
  output: GPUBuffer;
}

export interface Conv2dBackwardInputArgs extends Conv2dShape {
  /** ∂L/∂Z, C_out × ⌈H/s⌉ × ⌈W/s⌉. */
  gradOutput: GPUBuffer;
  layer: GPUBuffer;
  /** X as given to the forward pass (read for the activation's derivative). */
  input: GPUBuffer;
  /** Receives ∂L/∂X (of the pre-activations), C_in × H × W. */
  gradInput: GPUBuffer;
  /** Add to gradInput instead of overwriting it. Default false. */
  accumulate?: boolean;
}

export interface Conv2dBackwardLayerArgs extends Conv2dShape {
  input: GPUBuffer;
  gradOutput: GPUBuffer;
  /** Receives ∂L/∂layer, (9·C_in + 1) × C_out. */
  gradLayer: GPUBuffer;
}

/** The conv kernels, encoded into a compute pass the caller owns (for chaining layers). */
export interface Conv2d {
  forward(pass: GPUComputePassEncoder, args: Conv2dForwardArgs): void;
  backwardInput(pass: GPUComputePassEncoder, args: Conv2dBackwardInputArgs): void;
  backwardLayer(pass: GPUComputePassEncoder, args: Conv2dBackwardLayerArgs): void;
  destroy(): void;
}

/** Output side of a 3×3 conv with zero padding 1 and stride s: ⌈size / s⌉. */
export function convOutputSize(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

export function createConv2d(device: GPUDevice): Conv2d {
  return new GpuConv2d(device);
}

class GpuConv2d implements Conv2d {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layerSum: ChunkedSum;

  constructor(private readonly device: GPUDevice) {
    this.constants = new ConstantBuffers(device);
    this.layerSum = new ChunkedSum(device, 'the conv layer-gradient partial sums', 'height', 'use a smaller map or fewer channels');
  }

  /** The kernel compiled for one stride and input activation (constants of helpers/conv_window.wgsl). */
  private pipeline(label: string, source: string, shape: { stride: number; activation: number }): GPUComputePipeline {
    const key = `${label} ${shape.stride} ${shape.activation}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const constants = `const CONV_STRIDE: u32 = ${shape.stride}u;\nconst CONV_ACTIVATION: u32 = ${shape.activation}u;\n`;
      pipeline = createPipeline(this.device, label, constants + dispatchHelpers + activationHelpers + convHelpers + source);
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  forward(pass: GPUComputePassEncoder, args: Conv2dForwardArgs): void {
    const shape = this.checkShape(args);
    requireFloats('input', args.input, shape.inFloats);
    requireFloats('layer', args.layer, shape.layerFloats);
    requireFloats('output', args.output, shape.outFloats);
    requireNoAlias('output', args as unknown as Record<string, unknown>, ['input', 'layer']);
    const items = shape.outHeight * Math.ceil(shape.outWidth / 4) * Math.ceil(args.outChannels / 4);
    this.dispatch(pass, this.pipeline('conv2d_forward', forwardSource, shape), [args.input, args.layer, args.output], shape.params(0), items);
  }

  backwardInput(pass: GPUComputePassEncoder, args: Conv2dBackwardInputArgs): void {
    const shape = this.checkShape(args);
    requireFloats('gradOutput', args.gradOutput, shape.outFloats);
    requireFloats('layer', args.layer, shape.layerFloats);
    requireFloats('input', args.input, shape.inFloats);
    requireFloats('gradInput', args.gradInput, shape.inFloats);
    requireNoAlias('gradInput', args as unknown as Record<string, unknown>, ['gradOutput', 'layer', 'input']);
    const accumulate = args.accumulate ?? false;
    if (typeof accumulate !== 'boolean') throw new AvatarInputError(`accumulate: expected a boolean, got ${describeValue(accumulate)}`);
    const items = args.height * Math.ceil(args.width / 4) * Math.ceil(args.inChannels / 4);
    this.dispatch(pass, this.pipeline('conv2d_backward_input', backwardInputSource, shape), [args.gradOutput, args.layer, args.input, args.gradInput], shape.params(accumulate ? 1 : 0), items);
  }

  backwardLayer(pass: GPUComputePassEncoder, args: Conv2dBackwardLayerArgs): void {
    const shape = this.checkShape(args);
    requireFloats('input', args.input, shape.inFloats);
    requireFloats('gradOutput', args.gradOutput, shape.outFloats);
    requireFloats('gradLayer', args.gradLayer, shape.layerFloats);
    requireNoAlias('gradLayer', args as unknown as Record<string, unknown>, ['input', 'gradOutput']);
    const chunks = Math.ceil(shape.outHeight / CONV_CHUNK_ROWS);
    const partials = this.layerSum.scratch(chunks, shape.layerFloats);
    const items = chunks * (9 * Math.ceil(args.inChannels / 4) + 1) * Math.ceil(args.outChannels / 4);
    this.dispatch(pass, this.pipeline('conv2d_backward_weights', backwardWeightsSource, shape), [args.input, args.gradOutput, partials], shape.params(0), items);
    this.layerSum.reduce(pass, args.gradLayer, chunks, shape.layerFloats);
  }

  private dispatch(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], params: GPUBuffer, items: number): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, params, ...buffers], () => bindBuffers(this.device, pipeline, [params, ...buffers])));
    dispatchItems(pass, items);
  }

  private checkShape(args: Conv2dShape) {
    requireObject('conv2d args', args);
    requireInteger('inChannels', args.inChannels, 1, MAX_CONV_CHANNELS);
    requireInteger('outChannels', args.outChannels, 1, MAX_CONV_CHANNELS);
    requireInteger('width', args.width, 1, MAX_CONV_SIZE);
    requireInteger('height', args.height, 1, MAX_CONV_SIZE);
    if (args.stride !== 1 && args.stride !== 2) throw new AvatarInputError(`stride: expected 1 or 2, got ${describeValue(args.stride)}`);
    const activation = args.inputActivation ?? 'identity';
    if (!Object.hasOwn(CONV_ACTIVATION_CODES, activation)) {
      throw new AvatarInputError(`inputActivation: expected 'identity' or 'leaky_relu', got ${describeValue(activation)}${typeof activation === 'string' ? ` '${activation}'` : ''}`);
    }
    const { inChannels, outChannels, width, height, stride } = args;
    const outWidth = convOutputSize(width, stride), outHeight = convOutputSize(height, stride);
    const outPlane = outWidth * outHeight;
    return {
      stride,
      activation: CONV_ACTIVATION_CODES[activation],
      outPlane,
      outWidth,
      outHeight,
      inFloats: inChannels * width * height,
      outFloats: outChannels * outPlane,
      layerFloats: (9 * inChannels + 1) * outChannels,
      // ConvParams of helpers/conv_window.wgsl.
      params: (accumulate: number) => this.constants.get([inChannels, outChannels, width, height, outWidth, outHeight, accumulate]),
    };
  }

  destroy(): void {
    this.layerSum.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
