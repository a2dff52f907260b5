/**
 * How big a fit is: the five sizes that set most of its time (frames sampled, their size, the
 * avatar's UV resolution R, the training iterations of each stage). Unless the caller gives them,
 * they come from a preset picked by the WebGPU adapter: the full fit on a GPU; on a CPU
 * implementation of WebGPU (SwiftShader, llvmpipe, WARP: a machine without a usable GPU), where
 * training runs some fifty times slower, the light fit — bench:real's configuration, about
 * 10 min on 2 CPU cores where the full one would take hours — so a visitor on such a machine
 * sees their avatar the same session.
 */
import { AvatarInputError, describeValue } from '../errors.js';
import { isCpuAdapter } from '../gpu/adapter-kind.js';
import { integerOption } from '../train/option-checks.js';

/** A named set of fit sizes. */
export type FitPreset = 'full' | 'light';

/** The sizes a fit ran with (FitResult.settings) and the preset the unset ones came from. */
export interface FitSettings {
  preset: FitPreset;
  /** Frames sampled from the video (fitFromVideo's `frameCount`). */
  frameCount: number;
  /** Longest side of the training frames, pixels (`maxSize`). */
  maxSize: number;
  /** The avatar's UV positional map resolution R (`resolution`). */
  resolution: number;
  stage1Iterations: number;
  stage2Iterations: number;
}

export const FIT_PRESETS: Readonly<Record<FitPreset, Readonly<Omit<FitSettings, 'preset'>>>> = {
  // GaussianAvatar's sizes, scaled to a browser: a few minutes on a desktop GPU.
  full: { frameCount: 30, maxSize: 512, resolution: 128, stage1Iterations: 3000, stage2Iterations: 1000 },
  // bench:real's (issue 12's protocol): 593 s on 2 CPU cores with SwiftShader, held-out frames 20.6 dB inside the person.
  light: { frameCount: 24, maxSize: 256, resolution: 64, stage1Iterations: 600, stage2Iterations: 150 },
};

/** The options that set a fit's size (fitFromVideo's; `training` may set the resolution and iterations too). */
export interface FitSizeOptions {
  preset?: FitPreset | 'auto';
  frameCount?: number;
  maxSize?: number;
  resolution?: number;
  stage1Iterations?: number;
  stage2Iterations?: number;
  training?: { resolution?: number; stage1Iterations?: number; stage2Iterations?: number };
}

/** The preset `preset` names ('auto' or absent: by the adapter), or AvatarInputError. */
export function fitPresetFor(preset: unknown, device: GPUDevice): FitPreset {
  if (preset === undefined || preset === 'auto') return isCpuAdapter(device) ? 'light' : 'full';
  if (preset === 'full' || preset === 'light') return preset;
  throw new AvatarInputError(`options.preset: expected 'auto', 'full' or 'light', got ${describeValue(preset)}`);
}

/**
 * The fit's sizes: each option given (fitFromVideo's own before `training`'s), else the preset's.
 * Ranges are checked here for the frame options; trainAvatar checks the rest.
 */
export function resolveFitSettings(options: FitSizeOptions, device: GPUDevice): FitSettings {
  const preset = fitPresetFor(options.preset, device);
  const sizes = FIT_PRESETS[preset];
  const training = options.training ?? {};
  return {
    preset,
    frameCount: integerOption('frameCount', options.frameCount, sizes.frameCount, 1, 10_000),
    maxSize: integerOption('maxSize', options.maxSize, sizes.maxSize, 16, 4096),
    // Not `??`: a null is a wrong value for trainAvatar to name, not an absent one.
    resolution: firstGiven(options.resolution, training.resolution, sizes.resolution),
    stage1Iterations: firstGiven(options.stage1Iterations, training.stage1Iterations, sizes.stage1Iterations),
    stage2Iterations: firstGiven(options.stage2Iterations, training.stage2Iterations, sizes.stage2Iterations),
  };
}

function firstGiven(own: number | undefined, training: number | undefined, preset: number): number {
  return own !== undefined ? own : training !== undefined ? training : preset;
}
