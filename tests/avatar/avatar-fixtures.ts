/**
 * Small avatars for the avatar tests: a random SMPL-shaped body (tests/helpers/random-body.ts) given
 * a UV layout, covered with Gaussians through the real UV positional map, plus a fake appearance
 * network; and byte-level comparison helpers.
 */
import { createBodyModel } from '../../src/body/body-model.js';
import type { BodyModelData } from '../../src/body/types.js';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import type { Avatar } from '../../src/avatar/types.js';
import { randomBodyData, seededRandom } from '../helpers/random-body.js';

/** Gives every face its own UV triangle: the lower-left half of one cell of a k×k grid. */
export function withGridUvs(data: BodyModelData): BodyModelData {
  const F = data.faces.length / 3;
  const k = Math.ceil(Math.sqrt(F));
  const uvs = new Float32Array(F * 6);
  const uvFaces = new Uint32Array(F * 3);
  for (let f = 0; f < F; f++) {
    const u0 = (f % k) / k, v0 = Math.floor(f / k) / k, s = 0.95 / k;
    uvs.set([u0, v0, u0 + s, v0, u0, v0 + s], f * 6);
    uvFaces.set([f * 3, f * 3 + 1, f * 3 + 2], f * 3);
  }
  return { ...data, uvs, uvFaces };
}

export interface SmallAvatarOptions {
  seed?: number;
  resolution?: number;
  numVertices?: number;
  /** Add a fake appearance network with a few tensors (default true). */
  network?: boolean;
  posedirs?: boolean;
}

/** A small avatar with an embedded random body (caller disposes `avatar.body`). */
export async function smallEmbeddedAvatar(options: SmallAvatarOptions = {}): Promise<Avatar> {
  const seed = options.seed ?? 7;
  const rand = seededRandom(seed + 1000);
  const data = withGridUvs(randomBodyData({ numVertices: options.numVertices ?? 40, numBetas: 4, seed, posedirs: options.posedirs ?? true }));
  const body = await createBodyModel(data);
  const betas = new Float32Array(body.numBetas).map(() => rand() - 0.5);
  const map = buildUvPositionalMap(body, { resolution: options.resolution ?? 16, betas });
  const N = map.count;
  const avatar: Avatar = {
    body,
    bodySource: 'embedded',
    betas,
    canonicalTransforms: map.canonicalTransforms,
    gaussians: {
      resolution: map.resolution,
      count: N,
      texels: map.texels,
      positions: map.positions,
      weights: map.weights,
      colors: new Float32Array(N * 3).map(() => rand()),
      scales: new Float32Array(N).map(() => 0.001 + 0.01 * rand()),
    },
    metadata: { name: 'small test avatar', createdAt: '2026-01-02T03:04:05.000Z', generator: 'tests', note: { frames: 12, tags: ['a', 'b'] } },
  };
  if (options.network ?? true) {
    avatar.network = {
      architecture: 'test-mlp',
      config: { hidden: 8, activation: 'relu', residual: true, offsetScale: 0.02 },
      tensors: {
        'feature': { shape: [2, 4, 4], data: new Float32Array(32).map(() => rand() * 2 - 1) },
        'decoder.0.weight': { shape: [8, 3], data: new Float32Array(24).map(() => rand() * 2 - 1) },
        // −0, a denormal and float32's largest value must survive bit for bit.
        'decoder.0.bias': { shape: [8], data: new Float32Array([-0, 1e-40, 3.4028234663852886e38, 0, 1, -1, 0.5, rand()]) },
        'empty': { shape: [0, 5], data: new Float32Array(0) },
      },
    };
  }
  return avatar;
}

/** True when two typed arrays have the same type, length and bytes. */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
