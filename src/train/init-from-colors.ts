/**
 * Training that starts from known colours (instant appearance, trainAvatar's `initialColors`):
 * the appearance network is initialised so that at iteration 0 its colour head returns exactly
 * the given colour of every Gaussian, without changing the architecture (saved files stay as
 * they are). Everything else keeps its seeded random initialisation.
 *
 * - Feature channels 0…2 hold logit(colour) per texel of the feature tensor (the Gaussians'
 *   values splatted with the sampler's own bilinear weights — exact where the tensor's resolution
 *   equals the UV map's, as by default, since every Gaussian then samples its texel centre;
 *   an average over the footprint otherwise), texels no Gaussian reads filled by dilation.
 * - The ReLU MLP passes them through on 6 units of every hidden layer: layer 0 unit 2c = +f_c,
 *   unit 2c+1 = −f_c; later hidden layers copy those units (identity); the colour outputs
 *   raw[4 + c] = h_2c − h_2c+1 = relu(f_c) − relu(−f_c) = f_c, so colour = sigmoid(f_c).
 * - The pass-through is isolated: channels 0…2 and units 0…5 have zero weights to everything
 *   else (the large logits would otherwise saturate the offset and scale heads), and the colour
 *   outputs read nothing else. Training then mixes them freely.
 * Needs ReLU, featureChannels ≥ 3 and every hidden width ≥ 6.
 */
import type { NetworkTensor } from '../avatar/types.js';
import { AvatarInputError, describeValue } from '../errors.js';
import type { AppearanceConfig } from './appearance-config.js';
import type { AppearanceNetwork } from './appearance-network.js';
import { bilinearTaps, uvFromTexels } from './nn/uv-sampling.js';

/** Feature channels that carry the colour logits. */
export const COLOR_CHANNELS = 3;
/** Hidden units per layer that carry them (relu(+f), relu(−f) per channel). */
export const COLOR_UNITS = 2 * COLOR_CHANNELS;
/** Colours are clamped to [ε, 1 − ε] before the logit (sigmoid never reaches 0 or 1). */
export const COLOR_EPSILON = 1e-3;

/** Why a network of `config` cannot start from colours, or null when it can. */
export function colorInitProblem(config: Pick<AppearanceConfig, 'featureChannels' | 'hidden' | 'activation'>): string | null {
  if (config.activation !== 'relu') return `the MLP's activation is ${config.activation}; starting from colours needs relu`;
  if (config.featureChannels < COLOR_CHANNELS) return `featureChannels is ${config.featureChannels}; starting from colours needs at least ${COLOR_CHANNELS}`;
  if (config.hidden.some((h) => h < COLOR_UNITS)) return `hidden widths are [${config.hidden}]; starting from colours needs every width ≥ ${COLOR_UNITS}`;
  return null;
}

/**
 * trainAvatar's `options.initialColors` checked against the network it will start (lengths are
 * checked by the trainer, which knows N): a Float32Array of values in 0…1.
 * @throws AvatarInputError naming the option and what was expected.
 */
export function checkInitialColors(value: unknown, config: Pick<AppearanceConfig, 'featureChannels' | 'hidden' | 'activation'>): Float32Array {
  if (!(value instanceof Float32Array) || value.length % 3 !== 0) throw new AvatarInputError(`options.initialColors: expected a Float32Array of N×3 linear RGB, got ${describeValue(value)}`);
  const problem = colorInitProblem(config);
  if (problem) throw new AvatarInputError(`options.initialColors: ${problem}`);
  for (let k = 0; k < value.length; k++) {
    if (!(value[k]! >= 0 && value[k]! <= 1)) throw new AvatarInputError(`options.initialColors[${k}]: expected a number in 0…1 (linear RGB), got ${value[k]}`);
  }
  return value;
}

export interface ColorInitInput {
  /** N×3 linear RGB 0…1, one per Gaussian. */
  colors: Float32Array;
  /** The Gaussians' texel indices (row·R + col) on the R×R UV map, N. */
  texels: Uint32Array;
  /** R, the UV map's resolution. */
  resolution: number;
}

/**
 * Copies of `tensors` (the network's `features` [C, R_f, R_f] and `layer{l}.weight` / `.bias`, as
 * readWeights returns them) changed as the file comment says.
 * @throws AvatarInputError for colours that do not match the texels, or a config that cannot pass them through.
 */
export function tensorsFromColors(tensors: Record<string, NetworkTensor>, config: AppearanceConfig, input: ColorInitInput): Record<string, NetworkTensor> {
  const problem = colorInitProblem(config);
  if (problem) throw new AvatarInputError(`options.initialColors: ${problem}`);
  const { colors, texels, resolution } = input;
  const N = texels.length;
  if (!(colors instanceof Float32Array) || colors.length !== 3 * N) {
    throw new AvatarInputError(`options.initialColors: expected Float32Array(${3 * N}) (N×3 linear RGB, one per Gaussian of the R = ${resolution} UV map), got ${describeValue(colors)}`);
  }
  for (let k = 0; k < colors.length; k++) {
    if (!(colors[k]! >= 0 && colors[k]! <= 1)) throw new AvatarInputError(`options.initialColors[${k}]: expected a number in 0…1 (linear RGB), got ${colors[k]}`);
  }
  const out: Record<string, NetworkTensor> = {};
  for (const [name, t] of Object.entries(tensors)) out[name] = { shape: [...t.shape], data: t.data.slice() };
  writeColorFeatures(out.features!, config, input);
  const C = config.featureChannels;
  const widths = [C + config.poseCodeLength, ...config.hidden, 7];
  const L = widths.length - 1;
  for (let l = 0; l < L; l++) {
    const W = out[`layer${l}.weight`]!.data, b = out[`layer${l}.bias`]!.data;
    const outputs = widths[l + 1]!;
    const inputs = widths[l]!;
    // Rows carrying the colour (feature channels in layer 0, pass-through units after) and the columns receiving it.
    const sourceRows = l === 0 ? COLOR_CHANNELS : COLOR_UNITS;
    const targetColumns = l === L - 1 ? [4, 5, 6] : [0, 1, 2, 3, 4, 5];
    for (let r = 0; r < sourceRows; r++) W.fill(0, r * outputs, (r + 1) * outputs);
    for (const o of targetColumns) {
      for (let r = 0; r < inputs; r++) W[r * outputs + o] = 0;
      b[o] = 0;
    }
    for (let c = 0; c < COLOR_CHANNELS; c++) {
      if (L === 1) {
        W[c * outputs + 4 + c] = 1; // no hidden layer: the logit straight to the colour output
      } else if (l === 0) {
        W[c * outputs + 2 * c] = 1;
        W[c * outputs + 2 * c + 1] = -1;
      } else if (l < L - 1) {
        W[2 * c * outputs + 2 * c] = 1;
        W[(2 * c + 1) * outputs + 2 * c + 1] = 1;
      } else {
        W[2 * c * outputs + 4 + c] = 1;
        W[(2 * c + 1) * outputs + 4 + c] = -1;
      }
    }
  }
  return out;
}

/** Feature channels 0…2 = logit(colour), splatted onto the R_f grid with the sampler's bilinear weights, then dilated. */
function writeColorFeatures(features: NetworkTensor, config: AppearanceConfig, input: ColorInitInput): void {
  const Rf = config.featureResolution;
  const plane = Rf * Rf;
  const sum = new Float64Array(COLOR_CHANNELS * plane), weight = new Float64Array(plane);
  const uv = uvFromTexels(input.texels, input.resolution);
  const logit = (value: number) => {
    const c = Math.min(1 - COLOR_EPSILON, Math.max(COLOR_EPSILON, value));
    return Math.log(c / (1 - c));
  };
  for (let i = 0; i < input.texels.length; i++) {
    const taps = bilinearTaps(uv[2 * i]!, uv[2 * i + 1]!, Rf);
    const values = [0, 1, 2].map((c) => logit(input.colors[3 * i + c]!));
    taps.texels.forEach((t, k) => {
      const w = taps.weights[k]!;
      if (!(w > 0)) return;
      weight[t] += w;
      for (let c = 0; c < COLOR_CHANNELS; c++) sum[c * plane + t] += w * values[c]!;
    });
  }
  const filled = new Uint8Array(plane);
  for (let t = 0; t < plane; t++) {
    if (!(weight[t]! > 0)) continue;
    filled[t] = 1;
    for (let c = 0; c < COLOR_CHANNELS; c++) sum[c * plane + t] /= weight[t]!;
  }
  dilate(sum, filled, Rf, COLOR_CHANNELS);
  const F = features.data;
  for (let c = 0; c < COLOR_CHANNELS; c++) for (let t = 0; t < plane; t++) F[c * plane + t] = sum[c * plane + t]!;
}

/** Fills the unfilled texels of `channels` R×R planes, ring by ring, with the mean of their filled 8-neighbours (0 if none at all). */
function dilate(values: Float64Array, filled: Uint8Array, R: number, channels: number): void {
  const plane = R * R;
  let pending: number[] = [];
  for (let t = 0; t < plane; t++) if (!filled[t]) pending.push(t);
  while (pending.length > 0) {
    const grown: number[] = [], rest: number[] = [];
    const means: number[] = [];
    for (const t of pending) {
      const row = Math.floor(t / R), col = t % R;
      let n = 0;
      const acc = new Array<number>(channels).fill(0);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const r = row + dr, c = col + dc;
          if ((dr === 0 && dc === 0) || r < 0 || c < 0 || r >= R || c >= R || !filled[r * R + c]) continue;
          for (let k = 0; k < channels; k++) acc[k] += values[k * plane + r * R + c]!;
          n++;
        }
      }
      if (n === 0) {
        rest.push(t);
        continue;
      }
      grown.push(t);
      for (let k = 0; k < channels; k++) means.push(acc[k]! / n);
    }
    if (grown.length === 0) return; // nothing filled anywhere: leave zeros (sigmoid 0.5)
    grown.forEach((t, g) => {
      for (let k = 0; k < channels; k++) values[k * plane + t] = means[g * channels + k]!;
      filled[t] = 1;
    });
    pending = rest;
  }
}

/** Rewrites a freshly initialised GPU network (stage 1) so that it starts from `input.colors` (see the file comment). */
export async function startNetworkFromColors(network: AppearanceNetwork, input: ColorInitInput): Promise<void> {
  const { tensors } = await network.readWeights();
  const changed = tensorsFromColors(tensors, network.config, input);
  network.features.write(changed.features!);
  network.mlp.writeWeights(changed);
}
