/**
 * CPU evaluation of a trained avatar's appearance network (architecture APPEARANCE_ARCHITECTURE,
 * see appearance-network.ts for the maths and the tensors): what `evaluateAppearance` returns for
 * avatars with a network, for CPU posing, PLY export and previews. The GPU network is the fast path.
 *
 * The pose code is the same for every Gaussian, so layer 0 splits into a per-Gaussian part from
 * the sampled features (computed once per network and cached) plus one per-frame vector. With the
 * pose encoder (POSE_ENCODER_ARCHITECTURE) the sampled features are F + U-Net(posed UV map) and
 * change with the pose (evaluate-pose-encoder.ts): that part is computed per call.
 */
import type { Avatar, AppearanceNetworkWeights, NetworkTensor } from '../avatar/types.js';
import { AvatarFormatError } from '../errors.js';
import { appearanceConfigFromWeights, type AppearanceConfig } from './appearance-config.js';
import { poseCode } from './pose-code.js';
import { posedUvMapCpu, poseEncoderForwardCpu } from './evaluate-pose-encoder.js';
import { coveredTexelMask, posedUvLayout, type PosedUvLayout } from './posed-uv-layout.js';

export interface NetworkAppearance {
  /** N×3 canonical offsets, metres. */
  offsets: Float32Array;
  /** N isotropic scales, metres. */
  scales: Float32Array;
  /** N×3 linear RGB. */
  colors: Float32Array;
}

interface Prepared {
  config: AppearanceConfig;
  widths: number[];
  weights: Float32Array[];
  biases: Float32Array[];
  /** N × widths[1]: Σ_c f_c·W0[c] + b0 per Gaussian (features part of layer 0); per call with the pose encoder. */
  featurePart: Float32Array;
  count: number;
  /** With the pose encoder: F, the posed map's layout and its covered-texel mask. */
  encoder?: { features: Float32Array; layout: PosedUvLayout; mask: Float32Array };
}

const cache = new WeakMap<AppearanceNetworkWeights, Prepared>();

function tensor(network: AppearanceNetworkWeights, name: string, shape: number[]): Float32Array {
  const t: NetworkTensor | undefined = network.tensors?.[name];
  const size = shape.reduce((a, b) => a * b, 1);
  if (!t || !(t.data instanceof Float32Array) || t.data.length !== size || t.shape?.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
    throw new AvatarFormatError(`network.tensors.${name}: expected shape [${shape}] float32, got ${t ? `[${t.shape}]` : 'nothing'}`);
  }
  return t.data;
}

function prepare(avatar: Avatar): Prepared {
  const network = avatar.network!;
  const known = cache.get(network);
  if (known && known.count === avatar.gaussians.count) return known;
  const config = appearanceConfigFromWeights(network);
  const C = config.featureChannels, Rf = config.featureResolution, P = config.poseCodeLength;
  const widths = [C + P, ...config.hidden, 7];
  const weights = widths.slice(0, -1).map((w, l) => tensor(network, `layer${l}.weight`, [w, widths[l + 1]!]));
  const biases = widths.slice(0, -1).map((_, l) => tensor(network, `layer${l}.bias`, [widths[l + 1]!]));
  const features = tensor(network, 'features', [C, Rf, Rf]);
  const N = avatar.gaussians.count;
  let encoder: Prepared['encoder'];
  if (config.poseEncoder) {
    const layout = posedUvLayout(avatar.body, Rf);
    encoder = { features, layout, mask: coveredTexelMask(layout) };
  }
  const featurePart = encoder ? new Float32Array(N * widths[1]!) : featureLayer(avatar, config, weights[0]!, biases[0]!, features, widths[1]!);
  const prepared = { config, widths, weights, biases, featurePart, count: N, encoder };
  cache.set(network, prepared);
  return prepared;
}

/** Layer 0's feature part per Gaussian: the C × R_f × R_f map `features` sampled at the Gaussian's texel centre, times W0[0…C) plus b0. */
function featureLayer(avatar: Avatar, config: AppearanceConfig, W0: Float32Array, b0: Float32Array, features: ArrayLike<number>, H: number, out: Float32Array = new Float32Array(avatar.gaussians.count * H)): Float32Array {
  const C = config.featureChannels, Rf = config.featureResolution;
  const { texels, resolution: R, count: N } = avatar.gaussians;
  const featurePart = out;
  const weights = [W0], biases = [b0];
  const sample = new Float64Array(C);
  for (let i = 0; i < N; i++) {
    // Texel centre UV, then the bilinear taps of nn/feature-tensor.ts (clamped to the edge).
    const t = texels[i]!;
    const u = ((t % R) + 0.5) / R, v = 1 - (Math.floor(t / R) + 0.5) / R;
    const x = u * Rf - 0.5, y = (1 - v) * Rf - 0.5;
    const bx = Math.floor(x), by = Math.floor(y), fx = x - bx, fy = y - by;
    const clamp = (k: number) => Math.min(Math.max(k, 0), Rf - 1);
    const c0 = clamp(bx), c1 = clamp(bx + 1), r0 = clamp(by), r1 = clamp(by + 1);
    for (let c = 0; c < C; c++) {
      const plane = c * Rf * Rf;
      sample[c] = (1 - fx) * (1 - fy) * features[plane + r0 * Rf + c0]! + fx * (1 - fy) * features[plane + r0 * Rf + c1]!
        + (1 - fx) * fy * features[plane + r1 * Rf + c0]! + fx * fy * features[plane + r1 * Rf + c1]!;
    }
    for (let h = 0; h < H; h++) {
      let s = biases[0]![h]!;
      for (let c = 0; c < C; c++) s += sample[c]! * weights[0]![c * H + h]!;
      featurePart[i * H + h] = s;
    }
  }
  return featurePart;
}

/** Offsets, scales and colours of every Gaussian of `avatar` (which has a network) for `pose` (J×3). */
export function evaluateNetworkAppearance(avatar: Avatar, pose: Float32Array | ArrayLike<number>): NetworkAppearance {
  const { config, widths, weights, biases, featurePart, count: N, encoder } = prepare(avatar);
  const C = config.featureChannels, P = config.poseCodeLength;
  const H = widths[1]!;
  if (encoder) {
    // F̃ = F + U-Net(posed UV map of this pose), then layer 0's feature part from F̃.
    const Rf = config.featureResolution, { widths: encoderWidths, inputChannels } = config.poseEncoder!;
    const map = posedUvMapCpu(encoder.layout, avatar.body.forward({ pose, betas: avatar.betas }));
    const poseFeatures = poseEncoderForwardCpu(avatar.network!.tensors, encoderWidths, inputChannels, C, Rf, map, encoder.mask);
    for (let e = 0; e < poseFeatures.length; e++) poseFeatures[e] += encoder.features[e]!;
    featureLayer(avatar, config, weights[0]!, biases[0]!, poseFeatures, H, featurePart);
  }
  // Per-frame part of layer 0: code · W0[C … C+P).
  const framePart = new Float64Array(H);
  if (P > 0) {
    const code = poseCode(pose, avatar.body.numJoints);
    for (let p = 0; p < P; p++) {
      const value = code[p]!;
      if (value === 0) continue;
      for (let h = 0; h < H; h++) framePart[h] += value * weights[0]![(C + p) * H + h]!;
    }
  }
  const activate = config.activation === 'relu' ? (z: number) => (z > 0 ? z : 0) : (z: number) => z / (1 + Math.exp(-z));
  const offsets = new Float32Array(3 * N), scales = new Float32Array(N), colors = new Float32Array(3 * N);
  const widest = Math.max(...widths);
  let current = new Float64Array(widest), next = new Float64Array(widest);
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < H; h++) current[h] = featurePart[i * H + h]! + framePart[h]!;
    for (let l = 1; l < widths.length - 1; l++) {
      const inputs = widths[l]!, outputs = widths[l + 1]!, W = weights[l]!, b = biases[l]!;
      for (let o = 0; o < outputs; o++) next[o] = b[o]!;
      for (let k = 0; k < inputs; k++) {
        const a = activate(current[k]!);
        if (a === 0) continue;
        for (let o = 0; o < outputs; o++) next[o] += a * W[k * outputs + o]!;
      }
      [current, next] = [next, current];
    }
    for (let k = 0; k < 3; k++) {
      offsets[3 * i + k] = config.maxOffset * Math.tanh(current[k]!);
      colors[3 * i + k] = sigmoid(current[4 + k]!);
    }
    scales[i] = config.minScale + (config.maxScale - config.minScale) * sigmoid(current[3]!);
  }
  return { offsets, scales, colors };
}
