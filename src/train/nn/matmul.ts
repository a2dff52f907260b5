/**
 * Dense layers of the appearance MLP on the GPU: forward, and backward with respect to the input
 * and to the layer's parameters (wgsl/matmul_*.wgsl).
 *
 * Buffer layouts (all f32, row-major):
 * - input X: rows × inputs. With `inputActivation` ≠ 'identity' X holds the previous layer's
 *   pre-activations and the kernels apply act(X) as they load it (the activation is fused).
 * - layer: (inputs + 1) × outputs: rows 0…inputs−1 are W (inputs × outputs), row `inputs` is the
 *   bias b. So Z = act(X) · W + b = [act(X), 1] · layer.
 * - output Z: rows × outputs (pre-activations).
 * - gradLayer: like layer (∂L/∂W rows, then ∂L/∂b). Gradients are overwritten, never accumulated.
 */
import activationHelpers from '../../../wgsl/helpers/activation.wgsl';
import gemmHelpers from '../../../wgsl/helpers/gemm_tile.wgsl';
import paramsHelpers from '../../../wgsl/helpers/matmul_params.wgsl';
import forwardSource from '../../../wgsl/matmul_forward.wgsl';
import backwardInputSource from '../../../wgsl/matmul_backward_input.wgsl';
import backwardWeightsSource from '../../../wgsl/matmul_backward_weights.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { ChunkedSum } from './chunked-sum.js';
import { bindBuffers, createPipeline, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

/** The shared code every matmul kernel is compiled with (binding 0 = the parameters). */
const matmulHelpers = activationHelpers + paramsHelpers + gemmHelpers;

/** Activation applied elementwise; 'identity' for the network input. */
export type Activation = 'identity' | 'relu' | 'silu';

/** Codes of helpers/activation.wgsl. */
export const ACTIVATION_CODES: Record<Activation, number> = { identity: 0, relu: 1, silu: 2 };

/** Rows per partial sum of the layer gradient (CHUNK in matmul_backward_weights*.wgsl). */
export const MATMUL_CHUNK_ROWS = 512;
/** Output rows and columns per matmul workgroup. */
const TILE = 64;
/** Largest row / column count: 65535 workgroups of 64 along a dispatch dimension. */
export const MAX_MATMUL_ROWS = 65535 * TILE;

export interface MatmulShape {
  /** N, rows of X and Z (0…maxRows). */
  rows: number;
  /** I, columns of X (≥ 1). */
  inputs: number;
  /** O, columns of Z (≥ 1). */
  outputs: number;
  /** Activation applied to X as it is loaded. Default 'identity'. */
  inputActivation?: Activation;
}

export interface MatmulForwardArgs extends MatmulShape {
  /** X, rows × inputs f32. */
  input: GPUBuffer;
  /** (inputs + 1) × outputs f32: W then the bias row. */
  layer: GPUBuffer;
  /** Receives Z = act(X) · W + b, rows × outputs f32. */
  output: GPUBuffer;
}

export interface MatmulBackwardInputArgs extends MatmulShape {
  /** ∂L/∂Z, rows × outputs f32. */
  gradOutput: GPUBuffer;
  layer: GPUBuffer;
  /** X as given to the forward pass (read only for the activation's derivative). */
  input: GPUBuffer;
  /** Receives ∂L/∂X = (∂L/∂Z · Wᵀ) ⊙ act′(X), rows × inputs f32. */
  gradInput: GPUBuffer;
}

export interface MatmulBackwardLayerArgs extends MatmulShape {
  /** X as given to the forward pass. */
  input: GPUBuffer;
  /** ∂L/∂Z, rows × outputs f32. */
  gradOutput: GPUBuffer;
  /** Receives ∂L/∂layer, (inputs + 1) × outputs f32: [act(X), 1]ᵀ · ∂L/∂Z. */
  gradLayer: GPUBuffer;
}

export interface Matmul {
  readonly maxRows: number;
  encodeForward(encoder: GPUCommandEncoder, args: MatmulForwardArgs): void;
  encodeBackwardInput(encoder: GPUCommandEncoder, args: MatmulBackwardInputArgs): void;
  encodeBackwardLayer(encoder: GPUCommandEncoder, args: MatmulBackwardLayerArgs): void;
  /** The same, inside a compute pass the caller owns (for chaining layers). Arguments are validated alike. */
  forwardInPass(pass: GPUComputePassEncoder, args: MatmulForwardArgs): void;
  backwardInputInPass(pass: GPUComputePassEncoder, args: MatmulBackwardInputArgs): void;
  backwardLayerInPass(pass: GPUComputePassEncoder, args: MatmulBackwardLayerArgs): void;
  destroy(): void;
}

export interface MatmulOptions {
  /** Most rows one call handles (1…MAX_MATMUL_ROWS). */
  maxRows: number;
}

/**
 * Creates the dense-layer kernels. The layer-gradient pass needs a scratch buffer of
 * ceil(rows / 512) × (inputs + 1) × outputs f32, allocated on first use and grown when a larger
 * layer comes (forward-only users never allocate it).
 */
export function createMatmul(device: GPUDevice, options: MatmulOptions): Matmul {
  requireObject('options', options);
  requireInteger('maxRows', options.maxRows, 1, MAX_MATMUL_ROWS);
  return new GpuMatmul(device, options.maxRows);
}

class GpuMatmul implements Matmul {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly forwardPipeline: GPUComputePipeline;
  private readonly backwardInputPipeline: GPUComputePipeline;
  private backwardLayerPipeline?: GPUComputePipeline;
  private readonly layerSum: ChunkedSum;

  constructor(private readonly device: GPUDevice, readonly maxRows: number) {
    this.constants = new ConstantBuffers(device);
    this.forwardPipeline = createPipeline(device, 'matmul_forward', matmulHelpers + forwardSource);
    this.backwardInputPipeline = createPipeline(device, 'matmul_backward_input', matmulHelpers + backwardInputSource);
    this.layerSum = new ChunkedSum(device, 'the layer-gradient partial sums', 'rows', 'use fewer rows per call');
  }

  encodeForward(encoder: GPUCommandEncoder, args: MatmulForwardArgs): void {
    this.checkForward(args);
    const pass = encoder.beginComputePass({ label: 'matmul forward' });
    this.forwardInPass(pass, args);
    pass.end();
  }

  encodeBackwardInput(encoder: GPUCommandEncoder, args: MatmulBackwardInputArgs): void {
    this.checkBackwardInput(args);
    const pass = encoder.beginComputePass({ label: 'matmul backward input' });
    this.backwardInputInPass(pass, args);
    pass.end();
  }

  encodeBackwardLayer(encoder: GPUCommandEncoder, args: MatmulBackwardLayerArgs): void {
    this.checkBackwardLayer(args);
    const pass = encoder.beginComputePass({ label: 'matmul backward layer' });
    this.backwardLayerInPass(pass, args);
    pass.end();
  }

  forwardInPass(pass: GPUComputePassEncoder, args: MatmulForwardArgs): void {
    const activation = this.checkForward(args);
    const { input, layer, output, rows, inputs, outputs } = args;
    if (rows === 0) return;
    const params = this.constants.get([rows, inputs, outputs, activation]);
    pass.setPipeline(this.forwardPipeline);
    pass.setBindGroup(0, this.bindGroups.get([this.forwardPipeline, input, layer, output, params], () =>
      bindBuffers(this.device, this.forwardPipeline, [params, input, layer, output])));
    pass.dispatchWorkgroups(Math.ceil(rows / TILE), Math.ceil(outputs / TILE));
  }

  backwardInputInPass(pass: GPUComputePassEncoder, args: MatmulBackwardInputArgs): void {
    const activation = this.checkBackwardInput(args);
    const { gradOutput, layer, input, gradInput, rows, inputs, outputs } = args;
    if (rows === 0) return;
    const params = this.constants.get([rows, inputs, outputs, activation]);
    const pipeline = this.backwardInputPipeline;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, gradOutput, layer, input, gradInput, params], () =>
      bindBuffers(this.device, pipeline, [params, gradOutput, layer, input, gradInput])));
    pass.dispatchWorkgroups(Math.ceil(rows / TILE), Math.ceil(inputs / TILE));
  }

  backwardLayerInPass(pass: GPUComputePassEncoder, args: MatmulBackwardLayerArgs): void {
    const activation = this.checkBackwardLayer(args);
    const { input, gradOutput, gradLayer, rows, inputs, outputs } = args;
    const chunks = Math.ceil(rows / MATMUL_CHUNK_ROWS);
    const size = (inputs + 1) * outputs;
    const partials = this.layerSum.scratch(chunks, size);
    this.backwardLayerPipeline ??= createPipeline(this.device, 'matmul_backward_weights', matmulHelpers + backwardWeightsSource);
    const params = this.constants.get([rows, inputs, outputs, activation]);
    if (chunks > 0) {
      const pipeline = this.backwardLayerPipeline;
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, this.bindGroups.get([pipeline, input, gradOutput, partials, params], () =>
        bindBuffers(this.device, pipeline, [params, input, gradOutput, partials])));
      pass.dispatchWorkgroups(Math.ceil(inputs / TILE), Math.ceil(outputs / TILE), chunks);
    }
    // With rows = 0 the reduction writes zeros (an empty sum).
    this.layerSum.reduce(pass, gradLayer, chunks, size);
  }

  private checkShape(args: MatmulShape): number {
    requireObject('matmul args', args);
    requireInteger('rows', args.rows, 0, this.maxRows, ' (maxRows)');
    requireInteger('inputs', args.inputs, 1, MAX_MATMUL_ROWS);
    requireInteger('outputs', args.outputs, 1, MAX_MATMUL_ROWS);
    const activation = args.inputActivation ?? 'identity';
    if (!Object.hasOwn(ACTIVATION_CODES, activation)) {
      throw new AvatarInputError(`inputActivation: expected 'identity', 'relu' or 'silu', got ${describeValue(activation)}${typeof activation === 'string' ? ` '${activation}'` : ''}`);
    }
    return ACTIVATION_CODES[activation];
  }

  private checkForward(args: MatmulForwardArgs): number {
    const activation = this.checkShape(args);
    const { rows, inputs, outputs } = args;
    requireFloats('input', args.input, rows * inputs);
    requireFloats('layer', args.layer, (inputs + 1) * outputs);
    requireFloats('output', args.output, rows * outputs);
    requireNoAlias('output', args as unknown as Record<string, unknown>, ['input', 'layer']);
    return activation;
  }

  private checkBackwardInput(args: MatmulBackwardInputArgs): number {
    const activation = this.checkShape(args);
    const { rows, inputs, outputs } = args;
    requireFloats('gradOutput', args.gradOutput, rows * outputs);
    requireFloats('layer', args.layer, (inputs + 1) * outputs);
    requireFloats('input', args.input, rows * inputs);
    requireFloats('gradInput', args.gradInput, rows * inputs);
    requireNoAlias('gradInput', args as unknown as Record<string, unknown>, ['gradOutput', 'layer', 'input']);
    return activation;
  }

  private checkBackwardLayer(args: MatmulBackwardLayerArgs): number {
    const activation = this.checkShape(args);
    const { rows, inputs, outputs } = args;
    requireFloats('input', args.input, rows * inputs);
    requireFloats('gradOutput', args.gradOutput, rows * outputs);
    requireFloats('gradLayer', args.gradLayer, (inputs + 1) * outputs);
    requireNoAlias('gradLayer', args as unknown as Record<string, unknown>, ['input', 'gradOutput']);
    return activation;
  }

  destroy(): void {
    this.layerSum.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
