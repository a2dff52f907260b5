/**
 * The appearance network's optimisable feature tensor F on the body's UV layout, sampled
 * bilinearly at every Gaussian's UV coordinate (wgsl/sample_features*.wgsl).
 *
 * Layouts (f32):
 * - F (`buffer`, `grad`): C × R × R, channel-major (F[c, row, col] at c·R² + row·R + col); row 0 is
 *   the top of the UV square (v = 1); texel (row, col) is centred at u = (col + 0.5)/R,
 *   v = 1 − (row + 0.5)/R; sampling clamps to the edge.
 * - uv: N × 2 (u, v) per Gaussian, fixed at creation (see uvFromTexels).
 * - sampled output: N × stride; columns offset…offset+C−1 of row n hold F sampled at uv_n (the
 *   MLP input, the pose code may fill other columns).
 * The backward pass is a deterministic gather: the (Gaussian, weight) pairs that read each texel
 * are listed once on the CPU, since the UVs never change.
 */
import bilinearHelpers from '../../../wgsl/helpers/bilinear.wgsl';
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import sampleSource from '../../../wgsl/sample_features.wgsl';
import sampleBackwardSource from '../../../wgsl/sample_features_backward.wgsl';
import type { NetworkTensor } from '../../avatar/types.js';
import { AvatarFormatError, AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { STORAGE_COPYABLE } from '../../gpu/buffer-usage.js';
import { ConstantBuffers, createBufferFrom, readBuffer } from '../../gpu/buffers.js';
import { normalSamples, seededUniform } from './init.js';
import { bindBuffers, createPipeline, dispatchItems, requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject, writeFloats } from './kernel-utils.js';
import type { ParameterGroup } from './mlp.js';
import { bilinearTaps } from './uv-sampling.js';

// Re-exported: the sampling geometry lives in a GPU-free module (CPU initialisation uses it too).
export { bilinearTaps, uvFromTexels } from './uv-sampling.js';

export interface FeatureTensorOptions {
  /** C, feature channels (1…1024). */
  channels: number;
  /** R, the tensor is R × R texels (1…4096). */
  resolution: number;
  /** N × 2 UV coordinates (u, v) in [0, 1], one per Gaussian. */
  uv: Float32Array;
  /** Allocate a gradient buffer. Default true. */
  trainable?: boolean;
  /** Initial F (C × R × R, channel-major); default seeded normal values of std `initStd`. */
  data?: Float32Array;
  /** Std of the seeded normal initialisation. Default 0.1. */
  initStd?: number;
  /** Seed of the initialisation. Default 1. */
  seed?: number;
}

export interface FeatureSampleArgs {
  /** Receives the samples: N × stride f32, columns offset…offset+C−1 (other columns untouched). */
  output: GPUBuffer;
  /** Floats per output row (≥ offset + C). Default C. */
  stride?: number;
  /** First column written. Default 0. */
  offset?: number;
}

export interface FeatureBackwardArgs {
  /** ∂L/∂(sampled output), N × stride f32 (columns offset…offset+C−1 are read). */
  gradOutput: GPUBuffer;
  stride?: number;
  offset?: number;
}

export interface FeatureTensor {
  readonly channels: number;
  readonly resolution: number;
  /** N, the number of Gaussians (rows sampled). */
  readonly count: number;
  /** F, C × R × R f32 (STORAGE | COPY_SRC | COPY_DST). */
  readonly buffer: GPUBuffer;
  /** One group named `features` (empty when not trainable). */
  readonly parameters: readonly ParameterGroup[];
  encodeSample(encoder: GPUCommandEncoder, args: FeatureSampleArgs): void;
  /** Writes ∂L/∂F (overwritten) into the parameter group's grad. Throws AvatarInputError when not trainable. */
  encodeBackward(encoder: GPUCommandEncoder, args: FeatureBackwardArgs): void;
  /** F as a tensor of shape [C, R, R]. */
  read(): Promise<NetworkTensor>;
  /** Replaces F (shape [C, R, R]); throws AvatarFormatError on a wrong shape or non-finite values. */
  write(tensor: NetworkTensor): void;
  destroy(): void;
}

/** Per texel, the (Gaussian, weight) pairs that sample it, in Gaussian order: start (R² + 1 u32) and pairs (u32 index, f32 bits). */
function gatherLists(uv: Float32Array, resolution: number): { start: Uint32Array; pairs: Uint32Array } {
  const count = uv.length / 2;
  const plane = resolution * resolution;
  const start = new Uint32Array(plane + 1);
  const taps = Array.from({ length: count }, (_, n) => bilinearTaps(uv[2 * n], uv[2 * n + 1], resolution));
  for (const tap of taps) tap.texels.forEach((t, k) => { if (tap.weights[k] !== 0) start[t + 1]++; });
  for (let t = 0; t < plane; t++) start[t + 1] += start[t];
  const pairs = new Uint32Array(2 * start[plane]);
  const weightBits = new Float32Array(pairs.buffer);
  const next = start.slice(0, plane);
  taps.forEach((tap, n) => tap.texels.forEach((t, k) => {
    if (tap.weights[k] === 0) return;
    const slot = next[t]++;
    pairs[2 * slot] = n;
    weightBits[2 * slot + 1] = tap.weights[k];
  }));
  return { start, pairs };
}

export function createFeatureTensor(device: GPUDevice, options: FeatureTensorOptions): FeatureTensor {
  requireObject('options', options);
  const { channels, resolution, uv } = options;
  requireInteger('channels', channels, 1, 1024);
  requireInteger('resolution', resolution, 1, 4096);
  if (!(uv instanceof Float32Array) || uv.length % 2 !== 0) {
    throw new AvatarInputError(`uv: expected a Float32Array of N × 2 (u, v), got ${describeValue(uv)}`);
  }
  for (let k = 0; k < uv.length; k++) {
    if (!(uv[k] >= 0 && uv[k] <= 1)) throw new AvatarInputError(`uv: expected values in [0, 1], got ${uv[k]} at index ${k}`);
  }
  const trainable = options.trainable ?? true;
  if (typeof trainable !== 'boolean') throw new AvatarInputError(`trainable: expected a boolean, got ${describeValue(trainable)}`);
  const size = channels * resolution * resolution;
  let data: Float32Array;
  if (options.data !== undefined) {
    data = checkedData('data', options.data, size);
  } else {
    const initStd = options.initStd ?? 0.1;
    requireFinite('initStd', initStd, 0);
    const seed = options.seed ?? 1;
    requireInteger('seed', seed, 0, 2 ** 32 - 1);
    data = normalSamples(size, initStd, seededUniform(seed));
  }
  if (4 * size > device.limits.maxStorageBufferBindingSize) {
    throw new AvatarInputError(`channels × resolution²: ${4 * size} bytes exceed this device's maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize}`);
  }
  return new GpuFeatureTensor(device, channels, resolution, uv, trainable, data);
}

function checkedData(field: string, data: unknown, size: number): Float32Array {
  if (!(data instanceof Float32Array) || data.length !== size) {
    throw new AvatarFormatError(`${field}: expected a Float32Array of channels × resolution² = ${size} values, got ${describeValue(data)}`);
  }
  for (let k = 0; k < size; k++) {
    if (!Number.isFinite(data[k])) throw new AvatarFormatError(`${field}: expected finite values, got ${data[k]} at index ${k}`);
  }
  return data;
}

class GpuFeatureTensor implements FeatureTensor {
  readonly count: number;
  readonly buffer: GPUBuffer;
  readonly parameters: ParameterGroup[] = [];
  private readonly uv: GPUBuffer;
  private readonly tapsStart?: GPUBuffer;
  private readonly taps?: GPUBuffer;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly samplePipeline: GPUComputePipeline;
  private readonly backwardPipeline?: GPUComputePipeline;

  constructor(private readonly device: GPUDevice, readonly channels: number, readonly resolution: number, uv: Float32Array, readonly trainable: boolean, data: Float32Array) {
    this.count = uv.length / 2;
    this.constants = new ConstantBuffers(device);
    this.buffer = createBufferFrom(device, data, STORAGE_COPYABLE, 'feature tensor');
    this.uv = createBufferFrom(device, uv.length ? uv : new Float32Array(2), GPUBufferUsage.STORAGE, 'feature tensor uv');
    this.samplePipeline = createPipeline(device, 'sample_features', dispatchHelpers + bilinearHelpers + sampleSource);
    if (trainable) {
      const grad = device.createBuffer({ label: 'feature tensor grad', size: this.buffer.size, usage: STORAGE_COPYABLE });
      this.parameters.push({ name: 'features', buffer: this.buffer, grad, count: data.length });
      const { start, pairs } = gatherLists(uv, resolution);
      this.tapsStart = createBufferFrom(device, start, GPUBufferUsage.STORAGE, 'feature tensor gather starts');
      this.taps = createBufferFrom(device, pairs.length ? pairs : new Uint32Array(2), GPUBufferUsage.STORAGE, 'feature tensor gather pairs');
      this.backwardPipeline = createPipeline(device, 'sample_features_backward', dispatchHelpers + sampleBackwardSource);
    }
  }

  private layout(args: { stride?: number; offset?: number }): { stride: number; offset: number } {
    const offset = args.offset ?? 0;
    requireInteger('offset', offset, 0, 65535);
    const stride = args.stride ?? offset + this.channels;
    requireInteger('stride', stride, offset + this.channels, 65535, ' (≥ offset + channels)');
    return { stride, offset };
  }

  encodeSample(encoder: GPUCommandEncoder, args: FeatureSampleArgs): void {
    requireObject('feature sample args', args);
    const { stride, offset } = this.layout(args);
    requireFloats('output', args.output, this.count * stride);
    const params = this.constants.get([this.count, this.channels, this.resolution, stride, offset]);
    const pipeline = this.samplePipeline;
    const pass = encoder.beginComputePass({ label: 'sample features' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, args.output, params], () => bindBuffers(this.device, pipeline, [this.buffer, this.uv, args.output, params])));
    dispatchItems(pass, this.count);
    pass.end();
  }

  encodeBackward(encoder: GPUCommandEncoder, args: FeatureBackwardArgs): void {
    if (!this.trainable) throw new AvatarInputError('encodeBackward: this feature tensor was created with trainable: false (no gradient buffer)');
    requireObject('feature backward args', args);
    const { stride, offset } = this.layout(args);
    requireFloats('gradOutput', args.gradOutput, this.count * stride);
    const grad = this.parameters[0].grad;
    requireNoAlias('gradOutput', { gradOutput: args.gradOutput, grad, buffer: this.buffer }, ['grad', 'buffer']);
    const params = this.constants.get([this.count, this.channels, this.resolution, stride, offset]);
    const pipeline = this.backwardPipeline!;
    const pass = encoder.beginComputePass({ label: 'sample features backward' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, args.gradOutput, params], () =>
      bindBuffers(this.device, pipeline, [args.gradOutput, this.tapsStart!, this.taps!, grad, params])));
    dispatchItems(pass, this.resolution * this.resolution);
    pass.end();
  }

  async read(): Promise<NetworkTensor> {
    const size = this.channels * this.resolution * this.resolution;
    const data = new Float32Array(await readBuffer(this.device, this.buffer, 4 * size));
    return { shape: [this.channels, this.resolution, this.resolution], data };
  }

  write(tensor: NetworkTensor): void {
    const shape = [this.channels, this.resolution, this.resolution];
    if (typeof tensor !== 'object' || tensor === null || !Array.isArray(tensor.shape) || tensor.shape.length !== 3 || tensor.shape.some((d, k) => d !== shape[k])) {
      throw new AvatarFormatError(`features: expected shape [${shape}], got ${tensor && Array.isArray(tensor.shape) ? `[${tensor.shape}]` : describeValue(tensor)}`);
    }
    writeFloats(this.device, this.buffer, checkedData('features.data', tensor.data, this.channels * this.resolution * this.resolution));
  }

  destroy(): void {
    for (const buffer of [this.buffer, this.uv, this.tapsStart, this.taps, ...this.parameters.map((p) => p.grad)]) buffer?.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
