/**
 * The appearance network's configuration as saved in an Avatar (`network.config`), shared by the
 * GPU network (appearance-network.ts) and the CPU evaluation (evaluate-network.ts). No GPU code.
 */
import type { AppearanceNetworkWeights } from '../avatar/types.js';
import { AvatarFormatError, describeValue } from '../errors.js';

/**
 * `AppearanceNetworkWeights.architecture` of networks without a pose encoder: the feature tensor
 * (plus, when poseCodeLength > 0, the frame's global pose code) → MLP.
 */
export const APPEARANCE_ARCHITECTURE = 'gaussian-avatar/uv-feature-mlp@1';
/**
 * Networks with the U-Net pose encoder over the posed UV positional map: (feature tensor + pose
 * features) → MLP (appearance-network.ts). Config adds `encoderWidths` (comma-separated) and
 * `encoderInputChannels`; tensors add `unet.conv{k}.weight` / `.bias` (nn/unet-encoder.ts).
 */
export const POSE_ENCODER_ARCHITECTURE = 'gaussian-avatar/uv-pose-encoder-mlp@1';

/** Whether the GPU appearance network (and evaluateAppearance) plays networks of `architecture`. */
export function isAppearanceArchitecture(architecture: unknown): boolean {
  return architecture === APPEARANCE_ARCHITECTURE || architecture === POSE_ENCODER_ARCHITECTURE;
}

export interface AppearanceConfig {
  featureChannels: number;
  featureResolution: number;
  poseCodeLength: number;
  hidden: number[];
  activation: 'relu' | 'silu';
  maxOffset: number;
  minScale: number;
  maxScale: number;
  /** The U-Net pose encoder (POSE_ENCODER_ARCHITECTURE): channels per level, finest first, and input channels (3: posed xyz). */
  poseEncoder?: { widths: number[]; inputChannels: number };
}

/** The architecture id a network of `config` is saved under. */
export function architectureOf(config: AppearanceConfig): string {
  return config.poseEncoder ? POSE_ENCODER_ARCHITECTURE : APPEARANCE_ARCHITECTURE;
}

/** Reads an AppearanceConfig back from saved weights; AvatarFormatError names a missing or bad field. */
export function appearanceConfigFromWeights(network: AppearanceNetworkWeights): AppearanceConfig {
  if (!isAppearanceArchitecture(network.architecture)) {
    throw new AvatarFormatError(`network.architecture: expected '${APPEARANCE_ARCHITECTURE}' or '${POSE_ENCODER_ARCHITECTURE}', got ${describeValue(network.architecture)} '${String(network.architecture)}'`);
  }
  const c = network.config ?? {};
  const number = (field: string, min: number) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new AvatarFormatError(`network.config.${field}: expected a number ≥ ${min}, got ${describeValue(v)}`);
    return v;
  };
  const widths = (field: string) => {
    const text = c[field];
    const list = typeof text === 'string' && text.length > 0 ? text.split(',').map(Number) : [];
    if (list.some((h) => !Number.isInteger(h) || h < 1)) throw new AvatarFormatError(`network.config.${field}: expected comma-separated positive integers, got '${String(text)}'`);
    return list;
  };
  const hidden = widths('hidden');
  let poseEncoder: AppearanceConfig['poseEncoder'];
  if (network.architecture === POSE_ENCODER_ARCHITECTURE) {
    const encoderWidths = widths('encoderWidths');
    if (encoderWidths.length === 0) throw new AvatarFormatError(`network.config.encoderWidths: expected comma-separated positive integers (the U-Net's channels per level), got ${describeValue(c.encoderWidths)}`);
    poseEncoder = { widths: encoderWidths, inputChannels: number('encoderInputChannels', 1) };
  }
  const activation = c.activation;
  if (activation !== 'relu' && activation !== 'silu') throw new AvatarFormatError(`network.config.activation: expected 'relu' or 'silu', got ${describeValue(activation)}`);
  return {
    featureChannels: number('featureChannels', 1),
    featureResolution: number('featureResolution', 1),
    poseCodeLength: number('poseCodeLength', 0),
    hidden,
    activation,
    maxOffset: number('maxOffset', 0),
    minScale: number('minScale', 0),
    maxScale: number('maxScale', 0),
    ...(poseEncoder ? { poseEncoder } : {}),
  };
}


/** The config as stored in `AppearanceNetworkWeights.config` (hidden widths comma-separated). */
export function configRecord(c: AppearanceConfig): Record<string, number | string | boolean> {
  return {
    featureChannels: c.featureChannels,
    featureResolution: c.featureResolution,
    poseCodeLength: c.poseCodeLength,
    hidden: c.hidden.join(','),
    activation: c.activation,
    maxOffset: c.maxOffset,
    minScale: c.minScale,
    maxScale: c.maxScale,
    ...(c.poseEncoder ? { encoderWidths: c.poseEncoder.widths.join(','), encoderInputChannels: c.poseEncoder.inputChannels } : {}),
  };
}
