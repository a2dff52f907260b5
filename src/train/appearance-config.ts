/**
 * The appearance network's configuration as saved in an Avatar (`network.config`), shared by the
 * GPU network (appearance-network.ts) and the CPU evaluation (evaluate-network.ts). No GPU code.
 */
import type { AppearanceNetworkWeights } from '../avatar/types.js';
import { AvatarFormatError, describeValue } from '../errors.js';

/** `AppearanceNetworkWeights.architecture` of the networks this module builds. */
export const APPEARANCE_ARCHITECTURE = 'gaussian-avatar/uv-feature-mlp@1';

export interface AppearanceConfig {
  featureChannels: number;
  featureResolution: number;
  poseCodeLength: number;
  hidden: number[];
  activation: 'relu' | 'silu';
  maxOffset: number;
  minScale: number;
  maxScale: number;
}

/** Reads an AppearanceConfig back from saved weights; AvatarFormatError names a missing or bad field. */
export function appearanceConfigFromWeights(network: AppearanceNetworkWeights): AppearanceConfig {
  if (network.architecture !== APPEARANCE_ARCHITECTURE) {
    throw new AvatarFormatError(`network.architecture: expected '${APPEARANCE_ARCHITECTURE}', got ${describeValue(network.architecture)} '${String(network.architecture)}'`);
  }
  const c = network.config ?? {};
  const number = (field: string, min: number) => {
    const v = c[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new AvatarFormatError(`network.config.${field}: expected a number ≥ ${min}, got ${describeValue(v)}`);
    return v;
  };
  const hiddenText = c.hidden;
  const hidden = typeof hiddenText === 'string' && hiddenText.length > 0 ? hiddenText.split(',').map(Number) : [];
  if (hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new AvatarFormatError(`network.config.hidden: expected comma-separated positive integers, got '${String(hiddenText)}'`);
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
  };
}
