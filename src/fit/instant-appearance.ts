/**
 * Instant appearance: an avatar from the fitted frames before any training — every Gaussian of the
 * UV map coloured by the frames that see it (project-appearance.ts), the rest filled from symmetry,
 * round the body and from neighbours (fill-unseen-colors.ts) — plus the report of which sides were
 * never seen (appearance-coverage.ts). The colours are also where training starts (trainAvatar's
 * initialColors).
 */
import { texelFootprintScales } from '../avatar/texel-scales.js';
import type { Avatar } from '../avatar/types.js';
import { bigPose, buildUvPositionalMap } from '../avatar/uv-positional-map.js';
import { AvatarInputError, describeValue } from '../errors.js';
import type { BodyModel } from '../body/types.js';
import type { TrainingDataset } from '../train/dataset.js';
import { appearanceCoverage, type AppearanceCoverage } from './appearance-coverage.js';
import { fillUnseenColors, type FillOptions } from './fill-unseen-colors.js';
import { limbAxes } from './limb-axes.js';
import { projectAppearance, type ProjectAppearanceInput, type ProjectAppearanceOptions, type ProjectedAppearance } from './project-appearance.js';
import { pointNormals, vertexNormals } from './surface-normals.js';

export interface InstantAppearanceInput extends Omit<ProjectAppearanceInput, 'points' | 'betas'> {
  /** Shape of the person (the body fit's betas). */
  betas: Float32Array;
  /** UV map resolution R of the avatar (as trainAvatar's `resolution`, so the Gaussians match one for one). */
  resolution: number;
  /** Whether `body` is the package's default body (stored by reference in avatar files). Default 'embedded'. */
  bodySource?: 'default' | 'embedded';
}

/**
 * σ of the preview's Gaussians as a fraction of the texel spacing. Smaller than trained avatars'
 * starting σ (DEFAULT_SPACING_FRACTION): nothing trains the preview's edges, and a splat on the
 * body's outline spreads σ past it, so the preview would stand fatter than the person.
 */
export const PREVIEW_SPACING_FRACTION = 0.5;

export interface InstantAppearanceOptions extends ProjectAppearanceOptions, FillOptions {
  /** σ of the Gaussians as a fraction of the texel spacing. Default PREVIEW_SPACING_FRACTION. */
  spacingFraction?: number;
}

export interface InstantAppearance {
  /**
   * The preview avatar: one Gaussian per covered texel with the colours below, σ from the texel
   * footprint (options.spacingFraction), no network — it plays as it is. Its `body` is `input.body` (not copied).
   */
  avatar: Avatar;
  /** N×3 linear RGB, every Gaussian (= avatar.gaussians.colors): trainAvatar's `initialColors`. */
  colors: Float32Array;
  /** What the frames showed (before filling): colours, weights, seen flags. */
  projected: ProjectedAppearance;
  /** N: where each colour came from (FillSource: seen, mirror, ring, diffusion, nearest, fallback). */
  source: Uint8Array;
  /** N: for an unseen Gaussian, the seen one nearest its mirror image, else −1: trainAvatar's `mirrorTwins`. */
  mirrorTwins: Int32Array;
  coverage: AppearanceCoverage;
}

/**
 * Builds the instant appearance of `input.frames` (sRGB images, optional masks, fitted pose and
 * translation each) seen by `input.camera`, on `input.body` with shape `input.betas`.
 * @throws AvatarInputError naming the field for inputs that do not fit together.
 */
export function instantAppearance(input: InstantAppearanceInput, options: InstantAppearanceOptions = {}): InstantAppearance {
  if (input === null || typeof input !== 'object') throw new AvatarInputError(`input: expected { body, betas, resolution, camera, frames }, got ${describeValue(input)}`);
  const { body, betas, resolution } = input;
  if (!(betas instanceof Float32Array)) throw new AvatarInputError(`betas: expected a Float32Array, got ${describeValue(betas)}`);
  const spacingFraction = options.spacingFraction ?? PREVIEW_SPACING_FRACTION;
  if (typeof spacingFraction !== 'number' || !(spacingFraction > 0 && spacingFraction <= 4)) {
    throw new AvatarInputError(`options.spacingFraction: expected a number in (0, 4], got ${describeValue(spacingFraction)}`);
  }
  const map = buildUvPositionalMap(body, { resolution, betas });
  const projected = projectAppearance({ body, betas, points: map, camera: input.camera, frames: input.frames }, options);
  const canonical = body.forward({ pose: bigPose(body.numJoints), betas });
  const axes = limbAxes(map.weights, canonical.joints, body.parents);
  const { colors, source, twins } = fillUnseenColors({ ...map, axes }, projected.colors, projected.seen, options);
  const normals = pointNormals(map, vertexNormals(canonical.vertices, body.faces), body.faces);
  const coverage = appearanceCoverage(normals, projected.seen);
  const avatar: Avatar = {
    body,
    bodySource: input.bodySource ?? 'embedded',
    betas: betas.slice(),
    canonicalTransforms: map.canonicalTransforms,
    gaussians: {
      resolution, count: map.count, texels: map.texels, positions: map.positions, weights: map.weights,
      colors, scales: texelFootprintScales(map, spacingFraction),
    },
    metadata: {
      name: 'preview avatar',
      createdAt: new Date().toISOString(),
      generator: 'gaussian-avatar instantAppearance (projected frames, no training)',
      coverage: { missing: coverage.missing, seenFraction: coverage.seenFraction },
    },
  };
  return { avatar, colors, projected, source, mirrorTwins: twins, coverage };
}

/**
 * The instant appearance of a fit's training dataset (datasetFromFit: one camera, sRGB ImageData
 * frames with 0…1 masks, poses, translations, betas) on the default body `body`.
 */
export function instantAppearanceOfDataset(body: BodyModel, dataset: TrainingDataset, resolution: number): InstantAppearance {
  const camera = dataset.camera ?? dataset.cameras?.[0];
  if (!camera || (dataset.cameras && dataset.cameras.some((c) => c !== camera))) throw new AvatarInputError('dataset.camera: expected one camera for every frame (as datasetFromFit builds)');
  const frames = dataset.frames.map((f, i) => {
    if (f.image instanceof Float32Array || !('data' in f.image) || (f.mask !== undefined && !(f.mask instanceof Float32Array))) {
      throw new AvatarInputError(`dataset.frames[${i}]: expected an ImageData image and a Float32Array mask (as datasetFromFit builds)`);
    }
    return { image: f.image, pose: f.pose, trans: f.trans, ...(f.mask ? { mask: f.mask } : {}) };
  });
  return instantAppearance({ body, betas: dataset.betas ?? new Float32Array(body.numBetas), resolution, camera, frames, bodySource: 'default' });
}
