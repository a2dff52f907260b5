/**
 * `createDefaultAvatar`: the package's default body covered with Gaussians from its UV layout,
 * procedurally dressed (hair, skin, a striped shirt, belt, trousers, shoes), so playback, export
 * and the demo have an avatar before anyone has trained one.
 */
import { createDefaultBody } from '../body/default-body.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { proceduralColors } from './procedural-colors.js';
import { texelFootprintScales } from './texel-scales.js';
import type { Avatar } from './types.js';
import { buildUvPositionalMap } from './uv-positional-map.js';

/**
 * Default UV map resolution: 320×320 texels give N ≈ 64 000 Gaussians on the default body (its
 * atlas covers ~62 % of the square), about 5 mm apart — dense enough to look solid at full-body
 * framing, light enough to play in real time on integrated GPUs.
 */
export const DEFAULT_AVATAR_RESOLUTION = 320;

export interface DefaultAvatarOptions {
  /** UV map resolution R (1…4096); N ≈ 0.62·R². Default 320 (N ≈ 64 000). */
  resolution?: number;
}

/**
 * The default body (betas 0) with one Gaussian per covered texel of its R×R UV positional map in
 * the big pose: barycentric skinning weights, procedural colours, σ = 0.7 × the local texel spacing,
 * opacity 1 (by design), no appearance network. The caller owns `avatar.body` (`dispose()` it).
 */
export async function createDefaultAvatar(options: DefaultAvatarOptions = {}): Promise<Avatar> {
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { resolution? }, got ${describeValue(options)}`);
  }
  const resolution = options.resolution ?? DEFAULT_AVATAR_RESOLUTION;
  if (typeof resolution !== 'number' || !Number.isInteger(resolution) || resolution < 1 || resolution > 4096) {
    throw new AvatarInputError(`resolution: expected an integer in 1…4096, got ${describeValue(resolution)}`);
  }
  const body = await createDefaultBody();
  try {
    const betas = new Float32Array(body.numBetas);
    const map = buildUvPositionalMap(body, { resolution, betas });
    // Colour rules work in the T-pose rest frame: the same surface points, unposed.
    const rest = body.forward({ pose: new Float32Array(body.numJoints * 3), betas });
    const restPositions = new Float32Array(map.count * 3);
    for (let i = 0; i < map.count; i++) {
      const f = map.faceIndex[i]!;
      for (let k = 0; k < 3; k++) {
        const b = map.barycentric[i * 3 + k]!, v = body.faces[f * 3 + k]!;
        for (let c = 0; c < 3; c++) restPositions[i * 3 + c] += b * rest.vertices[v * 3 + c]!;
      }
    }
    const colors = proceduralColors({ positions: restPositions, weights: map.weights, numJoints: body.numJoints, joints: rest.joints });
    return {
      body,
      bodySource: 'default',
      betas,
      canonicalTransforms: map.canonicalTransforms,
      gaussians: {
        resolution,
        count: map.count,
        texels: map.texels,
        positions: map.positions,
        weights: map.weights,
        colors,
        scales: texelFootprintScales(map),
      },
      metadata: {
        name: 'default avatar',
        createdAt: new Date().toISOString(),
        generator: `gaussian-avatar createDefaultAvatar (resolution ${resolution})`,
      },
    };
  } catch (e) {
    body.dispose();
    throw e;
  }
}
