/**
 * Adam on the GPU (wgsl/adam_step.wgsl), one dispatch per parameter group, with PyTorch's bias
 * correction and decoupled weight decay (AdamW; weightDecay 0 is plain Adam). Moments m, v are
 * owned here, zero at creation. Each step's parameters (step number, lr, bias corrections computed
 * in f64) go into a fresh small uniform buffer, so several steps may be encoded before a submit.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import adamSource from '../../../wgsl/adam_step.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers, readBuffer } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, f32Bits, requireFinite, requireFloats, requireInteger } from './kernel-utils.js';
import { STORAGE_COPYABLE } from '../../gpu/buffer-usage.js';

export interface AdamParam {
  /** The parameters, count f32, updated in place. */
  buffer: GPUBuffer;
  /** Their gradient, count f32 (read only). */
  grad: GPUBuffer;
  count: number;
  /** Learning rate of this group (≥ 0). */
  lr: number;
  /** Decoupled weight decay of this group. Default: the optimiser's. */
  weightDecay?: number;
  /** A name for messages. */
  name?: string;
}

export interface AdamOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-15 (3DGS's value). */
  epsilon?: number;
  /** Default 0. */
  weightDecay?: number;
}

export interface Adam {
  /** Steps taken so far (the next step is number `step + 1`). */
  readonly step: number;
  /** Encodes one step on every group (groups whose lr is 0 are skipped: frozen). */
  encodeStep(encoder: GPUCommandEncoder): void;
  /** Sets group `index`'s learning rate for the steps encoded after. */
  setLearningRate(index: number, lr: number): void;
  learningRate(index: number): number;
  /** Zeroes the moments and the step count (encoded: affects work encoded after). */
  encodeReset(encoder: GPUCommandEncoder): void;
  /** Reads group `index`'s moments (for tests and checkpoints). */
  readMoments(index: number): Promise<{ m: Float32Array; v: Float32Array }>;
  destroy(): void;
}

export function createAdam(device: GPUDevice, params: AdamParam[], options: AdamOptions = {}): Adam {
  if (!Array.isArray(params) || params.length === 0) throw new AvatarInputError(`params: expected a non-empty array of { buffer, grad, count, lr }, got ${describeValue(params)}`);
  const beta1 = options.beta1 ?? 0.9, beta2 = options.beta2 ?? 0.999, epsilon = options.epsilon ?? 1e-15, weightDecay = options.weightDecay ?? 0;
  for (const [field, value] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(typeof value === 'number' && value >= 0 && value < 1)) throw new AvatarInputError(`${field}: expected a number in [0, 1), got ${describeValue(value)}`);
  }
  requireFinite('epsilon', epsilon, 0);
  requireFinite('weightDecay', weightDecay, 0);
  params.forEach((p, i) => {
    const field = `params[${i}]${p && typeof p.name === 'string' ? ` (${p.name})` : ''}`;
    if (typeof p !== 'object' || p === null) throw new AvatarInputError(`${field}: expected { buffer, grad, count, lr }, got ${describeValue(p)}`);
    requireInteger(`${field}.count`, p.count, 1, 2 ** 30);
    requireFloats(`${field}.buffer`, p.buffer, p.count);
    requireFloats(`${field}.grad`, p.grad, p.count);
    if (p.buffer === p.grad) throw new AvatarInputError(`${field}.grad: expected a buffer other than buffer`);
    requireFinite(`${field}.lr`, p.lr, 0);
    if (p.weightDecay !== undefined) requireFinite(`${field}.weightDecay`, p.weightDecay, 0);
  });
  return new GpuAdam(device, params, beta1, beta2, epsilon, weightDecay);
}

class GpuAdam implements Adam {
  step = 0;
  private readonly lrs: number[];
  private readonly moments: { m: GPUBuffer; v: GPUBuffer }[];
  private readonly pipeline: GPUComputePipeline;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, private readonly params: AdamParam[], private readonly beta1: number, private readonly beta2: number, private readonly epsilon: number, private readonly weightDecay: number) {
    this.lrs = params.map((p) => p.lr);
    const usage = STORAGE_COPYABLE;
    this.moments = params.map((p, i) => ({
      m: device.createBuffer({ label: `adam m ${p.name ?? i}`, size: 4 * p.count, usage }),
      v: device.createBuffer({ label: `adam v ${p.name ?? i}`, size: 4 * p.count, usage }),
    }));
    this.pipeline = createPipeline(device, 'adam_step', dispatchHelpers + adamSource);
    // Two entries per group and step are live at most; keep a few steps' worth.
    this.constants = new ConstantBuffers(device, Math.max(256, 8 * params.length));
  }

  encodeStep(encoder: GPUCommandEncoder): void {
    this.step++;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t, bc2 = 1 - this.beta2 ** t;
    const pass = encoder.beginComputePass({ label: `adam step ${t}` });
    pass.setPipeline(this.pipeline);
    this.params.forEach((p, i) => {
      if (this.lrs[i] === 0) return;
      const decay = p.weightDecay ?? this.weightDecay;
      const uniforms = this.constants.get([p.count, t, ...[this.lrs[i], this.beta1, this.beta2, this.epsilon, decay, bc1, bc2].map(f32Bits)]);
      const { m, v } = this.moments[i];
      pass.setBindGroup(0, this.bindGroups.get([p.buffer, p.grad, m, uniforms], () => bindBuffers(this.device, this.pipeline, [p.buffer, p.grad, m, v, uniforms])));
      dispatchItems(pass, p.count);
    });
    pass.end();
  }

  setLearningRate(index: number, lr: number): void {
    requireInteger('index', index, 0, this.params.length - 1);
    requireFinite('lr', lr, 0);
    this.lrs[index] = lr;
  }

  learningRate(index: number): number {
    requireInteger('index', index, 0, this.params.length - 1);
    return this.lrs[index];
  }

  encodeReset(encoder: GPUCommandEncoder): void {
    for (const { m, v } of this.moments) {
      encoder.clearBuffer(m);
      encoder.clearBuffer(v);
    }
    this.step = 0;
  }

  async readMoments(index: number): Promise<{ m: Float32Array; v: Float32Array }> {
    requireInteger('index', index, 0, this.params.length - 1);
    const { m, v } = this.moments[index];
    return { m: new Float32Array(await readBuffer(this.device, m)), v: new Float32Array(await readBuffer(this.device, v)) };
  }

  destroy(): void {
    for (const { m, v } of this.moments) {
      m.destroy();
      v.destroy();
    }
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
