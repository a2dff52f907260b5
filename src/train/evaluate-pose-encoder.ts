/**
 * CPU evaluation of the pose branch of POSE_ENCODER_ARCHITECTURE networks, for evaluateAppearance
 * (CPU posing, PLY export, previews): the posed UV positional map of a frame (posed-uv-layout.ts)
 * and the U-Net pose encoder's forward pass from its saved tensors, with the maths of
 * nn/unet-encoder.ts (3×3 convs with zero padding, stride 2 going down, nearest 2× upsampling and
 * skip concatenation going up, LeakyReLU 0.2 applied as each conv reads its input, covered-texel
 * mask on the input and the output). The GPU network is the fast path; this one is for the few
 * CPU consumers. No GPU code (Node imports it).
 */
import type { BodyForwardResult } from '../body/types.js';
import type { NetworkTensor } from '../avatar/types.js';
import { AvatarFormatError } from '../errors.js';
import { rootFrameMatrix, UNCOVERED_TEXEL, type PosedUvLayout } from './posed-uv-layout.js';

const LEAKY_SLOPE = 0.2;

/** The posed UV map (3 × R², channel-major, root frame, 0 off the body) of one posed body, on the CPU. */
export function posedUvMapCpu(layout: PosedUvLayout, posed: BodyForwardResult): Float32Array {
  const R2 = layout.resolution ** 2;
  const M = rootFrameMatrix(posed);
  const v = posed.vertices;
  const out = new Float32Array(3 * R2);
  for (let t = 0; t < R2; t++) {
    if (layout.texelVertices[3 * t] === UNCOVERED_TEXEL) continue;
    let x = 0, y = 0, z = 0;
    for (let k = 0; k < 3; k++) {
      const i = layout.texelVertices[3 * t + k]!, w = layout.texelWeights[3 * t + k]!;
      x += w * v[3 * i]!;
      y += w * v[3 * i + 1]!;
      z += w * v[3 * i + 2]!;
    }
    for (let c = 0; c < 3; c++) out[c * R2 + t] = M[c]! * x + M[4 + c]! * y + M[8 + c]! * z + M[12 + c]!;
  }
  return out;
}

interface Conv {
  inputs: number;
  outputs: number;
  weight: Float32Array;
  bias: Float32Array;
}

interface FeatureMap {
  channels: number;
  size: number;
  data: Float32Array;
}

function convTensors(tensors: Record<string, NetworkTensor>, k: number, inputs: number, outputs: number): Conv {
  const weight = tensors[`unet.conv${k}.weight`], bias = tensors[`unet.conv${k}.bias`];
  const shapeOk = weight && weight.shape.length === 4 && weight.shape[0] === 3 && weight.shape[1] === 3 && weight.shape[2] === inputs && weight.shape[3] === outputs
    && weight.data instanceof Float32Array && weight.data.length === 9 * inputs * outputs;
  if (!shapeOk) throw new AvatarFormatError(`network.tensors.unet.conv${k}.weight: expected shape [3,3,${inputs},${outputs}] float32, got ${weight ? `[${weight.shape}]` : 'nothing'}`);
  if (!bias || bias.shape.length !== 1 || bias.shape[0] !== outputs || !(bias.data instanceof Float32Array) || bias.data.length !== outputs) {
    throw new AvatarFormatError(`network.tensors.unet.conv${k}.bias: expected shape [${outputs}] float32, got ${bias ? `[${bias.shape}]` : 'nothing'}`);
  }
  return { inputs, outputs, weight: weight.data, bias: bias.data };
}

/** 3×3 conv, zero padding 1, `stride`, LeakyReLU on the input as read when `activate`. */
function conv(input: FeatureMap, layer: Conv, stride: 1 | 2, activate: boolean): FeatureMap {
  const S = input.size, O = Math.floor((S - 1) / stride) + 1;
  const { inputs: Ci, outputs: Co, weight, bias } = layer;
  const out = new Float32Array(Co * O * O);
  const acc = new Float64Array(Co);
  for (let oy = 0; oy < O; oy++) {
    for (let ox = 0; ox < O; ox++) {
      acc.set(bias);
      for (let dy = 0; dy < 3; dy++) {
        const y = oy * stride + dy - 1;
        if (y < 0 || y >= S) continue;
        for (let dx = 0; dx < 3; dx++) {
          const x = ox * stride + dx - 1;
          if (x < 0 || x >= S) continue;
          for (let c = 0; c < Ci; c++) {
            let a = input.data[(c * S + y) * S + x]!;
            if (activate && a < 0) a *= LEAKY_SLOPE;
            if (a === 0) continue;
            const row = ((dy * 3 + dx) * Ci + c) * Co;
            for (let o = 0; o < Co; o++) acc[o] += a * weight[row + o]!;
          }
        }
      }
      for (let o = 0; o < Co; o++) out[(o * O + oy) * O + ox] = acc[o]!;
    }
  }
  return { channels: Co, size: O, data: out };
}

/** [up2(coarse), fine] along channels (nearest 2× upsampling of `coarse` to fine's size). */
function upsampleConcat(coarse: FeatureMap, fine: FeatureMap): FeatureMap {
  const S = fine.size, C = coarse.channels + fine.channels;
  const out = new Float32Array(C * S * S);
  for (let c = 0; c < coarse.channels; c++) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) out[(c * S + y) * S + x] = coarse.data[(c * coarse.size + (y >> 1)) * coarse.size + (x >> 1)]!;
    }
  }
  out.set(fine.data, coarse.channels * S * S);
  return { channels: C, size: S, data: out };
}

/**
 * The U-Net's pose features (C_out × R², channel-major) for `input` (C_in × R²) under `mask` (R²,
 * 1 = covered), `widths` its channels per level, from `unet.conv{k}` tensors.
 */
export function poseEncoderForwardCpu(
  tensors: Record<string, NetworkTensor>, widths: readonly number[], inputChannels: number, outputChannels: number,
  resolution: number, input: Float32Array, mask: Float32Array,
): Float32Array {
  const L = widths.length, R = resolution, R2 = R * R;
  const x = new Float32Array(inputChannels * R2);
  for (let c = 0; c < inputChannels; c++) for (let t = 0; t < R2; t++) x[c * R2 + t] = input[c * R2 + t]! * mask[t]!;
  const encoded: FeatureMap[] = [conv({ channels: inputChannels, size: R, data: x }, convTensors(tensors, 0, inputChannels, widths[0]!), 1, false)];
  for (let l = 1; l < L; l++) encoded.push(conv(encoded[l - 1]!, convTensors(tensors, l, widths[l - 1]!, widths[l]!), 2, true));
  let decoded = encoded[L - 1]!;
  for (let l = L - 2, k = L; l >= 0; l--, k++) {
    decoded = conv(upsampleConcat(decoded, encoded[l]!), convTensors(tensors, k, widths[l + 1]! + widths[l]!, widths[l]!), 1, true);
  }
  const y = conv(decoded, convTensors(tensors, 2 * L - 1, widths[0]!, outputChannels), 1, true).data;
  for (let c = 0; c < outputChannels; c++) for (let t = 0; t < R2; t++) y[c * R2 + t] *= mask[t]!;
  return y;
}
