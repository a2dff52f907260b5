/**
 * The appearance network's per-Gaussian MLP on the GPU: layers [in, h1, …, out], hidden
 * activation ReLU or SiLU, linear output. Built on createMatmul (see matmul.ts for layouts).
 *
 * Buffers, all f32 row-major:
 * - input: count × layers[0] (e.g. sampled features, then the pose code: see feature-tensor.ts, pose-code.ts)
 * - output: count × layers[L] raw outputs (for the heads: see heads.ts)
 * - layer l's parameters `layerBuffers[l]`: (layers[l] + 1) × layers[l+1] — W_l rows then bias b_l
 *   (gradients `parameters[l].grad` alike, overwritten by each encodeBackward).
 * Saved weights (readWeights / writeWeights / options.weights) are named tensors
 * `layer{l}.weight` shape [layers[l], layers[l+1]] (row-major) and `layer{l}.bias` [layers[l+1]].
 *
 * Forward-only (playback): `createMlp(device, { layers, activation, maxRows, trainable: false,
 * weights })` allocates no gradient or backward buffers.
 *
 * Shared inputs (`sharedInputs: S`, e.g. the frame's pose code): the last S of the layers[0] inputs
 * are the same for every row, so they are passed once (`shared`, S f32) and folded into layer 0's
 * bias (wgsl/fold_shared_inputs*.wgsl) instead of being repeated in every row: `input` is then
 * count × (layers[0] − S), and layer 0 costs only the per-row inputs. Parameters, gradients and saved
 * weights keep the full layers[0] × layers[1] shape (rows layers[0]−S… are the shared inputs' weights).
 */
import type { NetworkTensor } from '../../avatar/types.js';
import { AvatarInputError, describeValue } from '../../errors.js';
import { readBuffer } from '../../gpu/buffers.js';
import { STORAGE_COPYABLE } from '../../gpu/buffer-usage.js';
import { heInitLayer, seededUniform } from './init.js';
import { packedLayer, requireTensorRecord } from './saved-tensors.js';
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import foldSource from '../../../wgsl/fold_shared_inputs.wgsl';
import foldBackwardSource from '../../../wgsl/fold_shared_inputs_backward.wgsl';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { createMatmul, MAX_MATMUL_ROWS, type Activation, type Matmul } from './matmul.js';
import { bindBuffers, createPipeline, dispatchItems, requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject, writeFloats } from './kernel-utils.js';

export type HiddenActivation = 'relu' | 'silu';

export interface MlpOptions {
  /** Widths [inputs, hidden…, outputs]: at least 2 entries, each 1…65535·64. */
  layers: number[];
  /** Activation after every hidden layer. Default 'relu'. */
  activation?: HiddenActivation;
  /** Most rows (Gaussians) one call handles. */
  maxRows: number;
  /** Allocate gradients and backward scratch. Default true; false gives a forward-only network. */
  trainable?: boolean;
  /** Initial weights (e.g. from a saved avatar), named as readWeights() returns them. Default: He init. */
  weights?: Record<string, NetworkTensor>;
  /** Seed of the He initialisation. Default 1. */
  seed?: number;
  /** Multiplies the last layer's initial std (small values start the heads near their midpoints). Default 1. */
  finalLayerGain?: number;
  /** S, how many of the last layers[0] inputs are shared by all rows and passed as `shared` (0…layers[0]−1). Default 0. */
  sharedInputs?: number;
}

/** One optimisable parameter buffer with its gradient (the shape createAdam takes). */
export interface ParameterGroup {
  name: string;
  buffer: GPUBuffer;
  grad: GPUBuffer;
  /** Number of f32 in buffer and grad. */
  count: number;
}

export interface MlpForwardArgs {
  /** count × (layers[0] − sharedInputs) f32. */
  input: GPUBuffer;
  /** With sharedInputs S > 0: the S shared input values (f32), the same for every row. */
  shared?: GPUBuffer;
  /** Receives count × layers[L] f32 raw outputs. */
  output: GPUBuffer;
  /** Rows, 0…maxRows. */
  count: number;
}

export interface MlpBackwardArgs {
  /** The input of the preceding encodeForward (its hidden pre-activations are reused). */
  input: GPUBuffer;
  /** With sharedInputs S > 0: the shared values of the preceding encodeForward. */
  shared?: GPUBuffer;
  /** ∂L/∂output, count × layers[L] f32. */
  gradOutput: GPUBuffer;
  /** Optional: receives ∂L/∂input, count × (layers[0] − sharedInputs) f32 (e.g. for the feature tensor). */
  gradInput?: GPUBuffer;
  /** Optional, with sharedInputs S > 0: receives ∂L/∂shared (S f32, summed over the rows). */
  gradShared?: GPUBuffer;
  /** Rows; must equal the preceding encodeForward's. */
  count: number;
}

export interface Mlp {
  readonly layers: readonly number[];
  readonly activation: HiddenActivation;
  readonly maxRows: number;
  readonly trainable: boolean;
  /** S: inputs shared by all rows (see the module comment). */
  readonly sharedInputs: number;
  /** Layer l's parameters, (layers[l] + 1) × layers[l+1] f32 (STORAGE | COPY_SRC | COPY_DST). */
  readonly layerBuffers: readonly GPUBuffer[];
  /** One group per layer, named `layer{l}` (empty when not trainable). */
  readonly parameters: readonly ParameterGroup[];
  /** Encodes output = MLP(input). In training mode it keeps every hidden pre-activation for encodeBackward. */
  encodeForward(encoder: GPUCommandEncoder, args: MlpForwardArgs): void;
  /**
   * Encodes the backward pass of the latest encodeForward (same input and count, encoded after it):
   * writes every layer's gradient (overwritten) and, if asked, ∂L/∂input. Throws AvatarInputError when not trainable.
   */
  encodeBackward(encoder: GPUCommandEncoder, args: MlpBackwardArgs): void;
  /** Reads the parameters back as named tensors (see the module comment). */
  readWeights(): Promise<Record<string, NetworkTensor>>;
  /** Replaces the parameters (queue.writeBuffer: takes effect for work submitted after). Throws AvatarFormatError on a missing or misshapen tensor. */
  writeWeights(tensors: Record<string, NetworkTensor>): void;
  destroy(): void;
}

export function createMlp(device: GPUDevice, options: MlpOptions): Mlp {
  requireObject('options', options);
  const { layers } = options;
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new AvatarInputError(`layers: expected an array of at least 2 widths [inputs, …, outputs], got ${describeValue(layers)}`);
  }
  layers.forEach((width, l) => requireInteger(`layers[${l}]`, width, 1, MAX_MATMUL_ROWS));
  const activation = options.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'silu') {
    throw new AvatarInputError(`activation: expected 'relu' or 'silu', got ${describeValue(activation)}`);
  }
  requireInteger('maxRows', options.maxRows, 1, MAX_MATMUL_ROWS);
  const seed = options.seed ?? 1;
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  const finalLayerGain = options.finalLayerGain ?? 1;
  requireFinite('finalLayerGain', finalLayerGain, 0);
  const trainable = options.trainable ?? true;
  if (typeof trainable !== 'boolean') throw new AvatarInputError(`trainable: expected a boolean, got ${describeValue(trainable)}`);
  const sharedInputs = options.sharedInputs ?? 0;
  requireInteger('sharedInputs', sharedInputs, 0, layers[0] - 1, ' (fewer than layers[0])');
  const widest = Math.max(...layers.slice(1, -1), 1);
  const scratchBytes = 4 * options.maxRows * widest;
  if (scratchBytes > device.limits.maxStorageBufferBindingSize) {
    throw new AvatarInputError(`maxRows: maxRows × widest hidden layer × 4 = ${scratchBytes} bytes exceeds this device's maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}`);
  }
  let initial: Float32Array[];
  if (options.weights !== undefined) {
    initial = layersFromTensors(layers, options.weights);
  } else {
    const uniform = seededUniform(seed);
    initial = layers.slice(0, -1).map((inputs, l) => heInitLayer(inputs, layers[l + 1], uniform, l === layers.length - 2 ? finalLayerGain : 1));
  }
  return new GpuMlp(device, [...layers], activation, options.maxRows, trainable, sharedInputs, initial);
}

/** Checks saved tensors against the architecture and packs them into the matmul layer layout. */
function layersFromTensors(layers: number[], tensors: Record<string, NetworkTensor>): Float32Array[] {
  requireTensorRecord(tensors);
  return layers.slice(0, -1).map((inputs, l) => packedLayer(tensors, `layer${l}`, [inputs, layers[l + 1]!]));
}

class GpuMlp implements Mlp {
  readonly layerBuffers: GPUBuffer[];
  readonly parameters: ParameterGroup[] = [];
  private readonly matmul: Matmul;
  /** Training: the pre-activations of hidden layer l (maxRows × layers[l+1]). Forward-only: two ping-pong buffers. */
  private readonly hidden: GPUBuffer[] = [];
  /** Training: two ping-pong buffers for ∂L/∂(hidden pre-activations). */
  private readonly gradHidden: GPUBuffer[] = [];
  private lastForwardCount = -1;
  /** With shared inputs: layer 0 folded to (rowInputs + 1) × layers[1] (and its gradient when training). */
  private readonly folded?: { layer: GPUBuffer; grad?: GPUBuffer; gradSharedScratch?: GPUBuffer; forward: GPUComputePipeline; backward?: GPUComputePipeline };
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();

  constructor(
    private readonly device: GPUDevice,
    readonly layers: readonly number[],
    readonly activation: HiddenActivation,
    readonly maxRows: number,
    readonly trainable: boolean,
    readonly sharedInputs: number,
    initial: Float32Array[],
  ) {
    this.matmul = createMatmul(device, { maxRows });
    this.constants = new ConstantBuffers(device);
    if (sharedInputs > 0) {
      const foldedBytes = 4 * (this.rowInputs + 1) * layers[1];
      const storage = (label: string, size: number) => device.createBuffer({ label, size, usage: GPUBufferUsage.STORAGE });
      this.folded = {
        layer: storage('mlp folded layer0', foldedBytes),
        grad: trainable ? storage('mlp folded layer0 grad', foldedBytes) : undefined,
        gradSharedScratch: trainable ? storage('mlp shared grad scratch', 4 * sharedInputs) : undefined,
        forward: createPipeline(device, 'fold_shared_inputs', dispatchHelpers + foldSource),
        backward: trainable ? createPipeline(device, 'fold_shared_inputs_backward', dispatchHelpers + foldBackwardSource) : undefined,
      };
    }
    this.layerBuffers = initial.map((data, l) => {
      const buffer = device.createBuffer({ label: `mlp layer${l}`, size: data.byteLength, usage: STORAGE_COPYABLE });
      writeFloats(device, buffer, data);
      return buffer;
    });
    const hiddenWidths = layers.slice(1, -1);
    const widest = Math.max(...hiddenWidths, 1);
    const scratch = (label: string, width: number) => device.createBuffer({ label, size: Math.max(4, 4 * maxRows * width), usage: GPUBufferUsage.STORAGE });
    if (trainable) {
      hiddenWidths.forEach((width, l) => this.hidden.push(scratch(`mlp hidden${l}`, width)));
      if (hiddenWidths.length > 0) this.gradHidden.push(scratch('mlp grad hidden A', widest), scratch('mlp grad hidden B', widest));
      this.layerBuffers.forEach((buffer, l) => {
        const grad = device.createBuffer({ label: `mlp layer${l} grad`, size: buffer.size, usage: STORAGE_COPYABLE });
        this.parameters.push({ name: `layer${l}`, buffer, grad, count: buffer.size / 4 });
      });
    } else if (hiddenWidths.length > 0) {
      this.hidden.push(scratch('mlp hidden A', widest));
      if (hiddenWidths.length > 1) this.hidden.push(scratch('mlp hidden B', widest));
    }
  }

  /** Inputs per row: layers[0] − sharedInputs. */
  private get rowInputs(): number {
    return this.layers[0] - this.sharedInputs;
  }

  private checkShared(field: string, shared: unknown): void {
    if (this.sharedInputs > 0) requireFloats(field, shared, this.sharedInputs);
    else if (shared !== undefined) throw new AvatarInputError(`${field}: this MLP has no shared inputs (sharedInputs 0), got a buffer`);
  }

  private hiddenBuffer(l: number): GPUBuffer {
    return this.trainable ? this.hidden[l] : this.hidden[l % 2];
  }

  encodeForward(encoder: GPUCommandEncoder, args: MlpForwardArgs): void {
    requireObject('mlp forward args', args);
    const { input, output, count, shared } = args;
    requireInteger('count', count, 0, this.maxRows, ' (maxRows)');
    requireFloats('input', input, count * this.rowInputs);
    requireFloats('output', output, count * this.layers[this.layers.length - 1]);
    this.checkShared('shared', shared);
    requireNoAlias('output', args as unknown as Record<string, unknown>, ['input', 'shared']);
    const last = this.layers.length - 2;
    const pass = encoder.beginComputePass({ label: 'mlp forward' });
    if (this.folded) {
      const { forward, layer: folded } = this.folded;
      const params = this.constants.get([this.rowInputs, this.sharedInputs, this.layers[1]]);
      pass.setPipeline(forward);
      pass.setBindGroup(0, this.bindGroups.get([forward, shared!, params], () => bindBuffers(this.device, forward, [this.layerBuffers[0], shared!, folded, params])));
      dispatchItems(pass, (this.rowInputs + 1) * this.layers[1]);
    }
    for (let l = 0; l <= last; l++) {
      this.matmul.forwardInPass(pass, {
        input: l === 0 ? input : this.hiddenBuffer(l - 1),
        layer: l === 0 && this.folded ? this.folded.layer : this.layerBuffers[l],
        output: l === last ? output : this.hiddenBuffer(l),
        rows: count,
        inputs: l === 0 ? this.rowInputs : this.layers[l],
        outputs: this.layers[l + 1],
        inputActivation: l === 0 ? 'identity' : this.activation,
      });
    }
    pass.end();
    this.lastForwardCount = count;
  }

  encodeBackward(encoder: GPUCommandEncoder, args: MlpBackwardArgs): void {
    if (!this.trainable) throw new AvatarInputError('encodeBackward: this MLP was created with trainable: false (no gradient buffers)');
    requireObject('mlp backward args', args);
    const { input, gradOutput, gradInput, count, shared, gradShared } = args;
    requireInteger('count', count, 0, this.maxRows, ' (maxRows)');
    if (count !== this.lastForwardCount) {
      throw new AvatarInputError(`count: expected the count of the preceding encodeForward (${this.lastForwardCount}), got ${describeValue(count)}`);
    }
    requireFloats('input', input, count * this.rowInputs);
    requireFloats('gradOutput', gradOutput, count * this.layers[this.layers.length - 1]);
    this.checkShared('shared', shared);
    if (gradInput !== undefined) {
      requireFloats('gradInput', gradInput, count * this.rowInputs);
      requireNoAlias('gradInput', args as unknown as Record<string, unknown>, ['input', 'gradOutput', 'shared', 'gradShared']);
    }
    if (gradShared !== undefined) {
      this.checkShared('gradShared', gradShared);
      requireNoAlias('gradShared', args as unknown as Record<string, unknown>, ['input', 'gradOutput', 'shared']);
    }
    const last = this.layers.length - 2;
    const activationOf = (l: number): Activation => (l === 0 ? 'identity' : this.activation);
    const inputOf = (l: number) => (l === 0 ? input : this.hidden[l - 1]);
    // ∂L/∂Z of layer l: the caller's for the last layer, else alternating scratch buffers.
    const gradOf = (l: number) => (l === last ? gradOutput : this.gradHidden[l % 2]);
    const pass = encoder.beginComputePass({ label: 'mlp backward' });
    for (let l = last; l >= 0; l--) {
      const folded = l === 0 ? this.folded : undefined;
      const shape = { rows: count, inputs: folded ? this.rowInputs : this.layers[l], outputs: this.layers[l + 1], inputActivation: activationOf(l) };
      this.matmul.backwardLayerInPass(pass, { ...shape, input: inputOf(l), gradOutput: gradOf(l), gradLayer: folded ? folded.grad! : this.parameters[l].grad });
      if (folded) this.encodeUnfold(pass, shared!, gradShared ?? folded.gradSharedScratch!);
      if (l > 0) {
        this.matmul.backwardInputInPass(pass, { ...shape, gradOutput: gradOf(l), layer: this.layerBuffers[l], input: inputOf(l), gradInput: gradOf(l - 1) });
      } else if (gradInput !== undefined) {
        this.matmul.backwardInputInPass(pass, { ...shape, gradOutput: gradOf(0), layer: folded ? folded.layer : this.layerBuffers[0], input, gradInput });
      }
    }
    pass.end();
  }

  /** Layer 0's full gradient (and ∂L/∂shared) from the folded layer's gradient. */
  private encodeUnfold(pass: GPUComputePassEncoder, shared: GPUBuffer, gradShared: GPUBuffer): void {
    const { backward, grad } = this.folded!;
    const pipeline = backward!;
    const params = this.constants.get([this.rowInputs, this.sharedInputs, this.layers[1]]);
    const gradLayer = this.parameters[0].grad;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, shared, gradShared, params], () =>
      bindBuffers(this.device, pipeline, [this.layerBuffers[0], shared, grad!, gradLayer, gradShared, params])));
    dispatchItems(pass, (this.layers[0] + 1) * this.layers[1] + this.sharedInputs);
  }

  async readWeights(): Promise<Record<string, NetworkTensor>> {
    const tensors: Record<string, NetworkTensor> = {};
    for (let l = 0; l < this.layerBuffers.length; l++) {
      const inputs = this.layers[l], outputs = this.layers[l + 1];
      const data = new Float32Array(await readBuffer(this.device, this.layerBuffers[l]));
      tensors[`layer${l}.weight`] = { shape: [inputs, outputs], data: data.slice(0, inputs * outputs) };
      tensors[`layer${l}.bias`] = { shape: [outputs], data: data.slice(inputs * outputs) };
    }
    return tensors;
  }

  writeWeights(tensors: Record<string, NetworkTensor>): void {
    const packed = layersFromTensors([...this.layers], tensors);
    packed.forEach((data, l) => writeFloats(this.device, this.layerBuffers[l], data));
  }

  destroy(): void {
    this.matmul.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
    const folded = this.folded ? [this.folded.layer, this.folded.grad, this.folded.gradSharedScratch] : [];
    for (const buffer of [...this.layerBuffers, ...this.hidden, ...this.gradHidden, ...this.parameters.map((p) => p.grad), ...folded]) buffer?.destroy();
  }
}
