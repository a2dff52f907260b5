/**
 * Reading a network's saved tensors (`AppearanceNetworkWeights.tensors`) back into the packed
 * layer layout the GPU layers use: a layer's weights, then its bias, in one f32 array. Shared by
 * the MLP (mlp.ts) and the U-Net encoder (unet-encoder.ts); AvatarFormatError names the tensor.
 */
import type { NetworkTensor } from '../../avatar/types.js';
import { AvatarFormatError, describeValue } from '../../errors.js';

/** Throws AvatarFormatError unless `tensors` is an object of named tensors. */
export function requireTensorRecord(tensors: unknown): asserts tensors is Record<string, NetworkTensor> {
  if (typeof tensors !== 'object' || tensors === null) throw new AvatarFormatError(`weights: expected named tensors, got ${describeValue(tensors)}`);
}

/** The data of tensor `name`, which must have exactly `shape` and finite float32 values. */
export function requireTensor(tensors: Record<string, NetworkTensor>, name: string, shape: number[]): Float32Array {
  const tensor = tensors[name];
  const want = shape.reduce((a, b) => a * b, 1);
  const shapeOk = tensor && Array.isArray(tensor.shape) && tensor.shape.length === shape.length && tensor.shape.every((d, k) => d === shape[k]);
  if (!shapeOk || !(tensor.data instanceof Float32Array) || tensor.data.length !== want) {
    const got = tensor ? `shape [${tensor.shape}] with ${describeValue(tensor.data)}` : 'nothing';
    throw new AvatarFormatError(`weights.${name}: expected shape [${shape}] float32 (${want} values), got ${got}`);
  }
  for (let k = 0; k < want; k++) {
    if (!Number.isFinite(tensor.data[k])) throw new AvatarFormatError(`weights.${name}: expected finite values, got ${tensor.data[k]} at ${k}`);
  }
  return tensor.data;
}

/** `${prefix}.weight` of `weightShape` (outputs last) and `${prefix}.bias` of [outputs], packed as weights then bias. */
export function packedLayer(tensors: Record<string, NetworkTensor>, prefix: string, weightShape: number[]): Float32Array {
  const outputs = weightShape[weightShape.length - 1]!;
  const weight = requireTensor(tensors, `${prefix}.weight`, weightShape);
  const bias = requireTensor(tensors, `${prefix}.bias`, [outputs]);
  const layer = new Float32Array(weight.length + outputs);
  layer.set(weight);
  layer.set(bias, weight.length);
  return layer;
}
