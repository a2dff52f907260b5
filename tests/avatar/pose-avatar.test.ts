import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { evaluateAppearance, poseGaussians, skinningMatrices } from '../../src/avatar/pose-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { bigPose, buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { AvatarInputError } from '../../src/errors.js';
import { randomPose } from '../helpers/random-body.js';
import { smallEmbeddedAvatar } from './avatar-fixtures.js';

/** Twin: M_j = T_live · T_canon⁻¹ in f64, inverting the rigid T_canon as [Rᵀ | −Rᵀt] (no gl-matrix). */
function twinSkinningMatrices(live: Float32Array, canonical: Float32Array, J: number): Float64Array {
  const out = new Float64Array(J * 16);
  for (let j = 0; j < J; j++) {
    const c = (r: number, k: number) => canonical[j * 16 + k * 4 + r]!; // column-major
    const inv = new Float64Array(16);
    for (let r = 0; r < 3; r++) {
      for (let k = 0; k < 3; k++) inv[k * 4 + r] = c(k, r);
      inv[12 + r] = -(c(0, r) * c(0, 3) + c(1, r) * c(1, 3) + c(2, r) * c(2, 3));
    }
    inv[15] = 1;
    for (let r = 0; r < 4; r++) {
      for (let k = 0; k < 4; k++) {
        let s = 0;
        for (let m = 0; m < 4; m++) s += live[j * 16 + m * 4 + r]! * inv[k * 4 + m]!;
        out[j * 16 + k * 4 + r] = s;
      }
    }
  }
  return out;
}

/** Twin of poseGaussians' positions: Σ_j W_ij M_j [x_i, 1] in f64 (zero offsets). */
function twinPose(avatar: Avatar, M: Float64Array): Float64Array {
  const { count: N, positions: X, weights: W } = avatar.gaussians;
  const J = avatar.body.numJoints;
  const out = new Float64Array(N * 3);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < J; j++) {
      const w = W[i * J + j]!;
      for (let r = 0; r < 3; r++) {
        out[i * 3 + r] += w * (M[j * 16 + r]! * X[i * 3]! + M[j * 16 + 4 + r]! * X[i * 3 + 1]! + M[j * 16 + 8 + r]! * X[i * 3 + 2]! + M[j * 16 + 12 + r]!);
      }
    }
  }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('posing an avatar on the CPU', () => {
  let avatar: Avatar;
  let embedded: Avatar;
  before(async () => {
    avatar = await createDefaultAvatar({ resolution: 64 });
    embedded = await smallEmbeddedAvatar({ seed: 41, resolution: 24 });
  });
  after(() => {
    avatar.body.dispose();
    embedded.body.dispose();
  });

  it('skinningMatrices and poseGaussians match the f64 twin (default and random embedded bodies)', () => {
    for (const [a, seed] of [[avatar, 1], [avatar, 2], [embedded, 3]] as const) {
      const pose = Float32Array.from(randomPose(24, seed, 1.2));
      const trans = new Float32Array([0.4, -0.2, 1.5]);
      const M = skinningMatrices(a, pose, trans);
      const live = a.body.forward({ pose, trans, betas: a.betas }).transforms;
      const twin = twinSkinningMatrices(live, a.canonicalTransforms, 24);
      assert.ok(maxAbsDiff(M, twin) < 2e-6, `matrices ${maxAbsDiff(M, twin)}`);
      const posed = poseGaussians(a, { pose, trans });
      const err = maxAbsDiff(posed.positions, twinPose(a, twin));
      assert.ok(err < 1e-5, `positions ${err}`);
    }
  });

  it('the big pose maps canonical positions to themselves; trans translates', () => {
    const M = skinningMatrices(avatar, bigPose(24));
    for (let j = 0; j < 24; j++) {
      for (let k = 0; k < 16; k++) assert.ok(Math.abs(M[j * 16 + k]! - (k % 5 === 0 ? 1 : 0)) < 1e-6, `joint ${j} element ${k}`);
    }
    assert.ok(maxAbsDiff(poseGaussians(avatar, { pose: bigPose(24) }).positions, avatar.gaussians.positions) < 1e-6);
    const pose = Float32Array.from(randomPose(24, 9, 0.8));
    const a = poseGaussians(avatar, { pose }).positions;
    const b = poseGaussians(avatar, { pose, trans: [1, 2, -3] }).positions;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(b[i]! - a[i]! - [1, 2, -3][i % 3]!) < 1e-5);
  });

  it('Gaussians on rigidly skinned triangles land on the posed body surface', () => {
    // Rebuild the map for face/barycentric coordinates; where all three vertices of the covering
    // triangle have the same weight row, LBS of the interpolated point = interpolation of the LBS'd vertices.
    const map = buildUvPositionalMap(avatar.body, { resolution: 64, betas: avatar.betas });
    const pose = Float32Array.from(randomPose(24, 5, 1.0));
    const trans = new Float32Array([0, 0.1, 0]);
    const vertices = avatar.body.forward({ pose, trans }).vertices;
    const posed = poseGaussians(avatar, { pose, trans }).positions;
    const W = avatar.body.weights;
    let rigid = 0, maxErr = 0;
    for (let i = 0; i < map.count; i++) {
      const f = map.faceIndex[i]!;
      const [a, b, c] = [avatar.body.faces[f * 3]!, avatar.body.faces[f * 3 + 1]!, avatar.body.faces[f * 3 + 2]!];
      let same = true;
      for (let j = 0; j < 24 && same; j++) same = W[a * 24 + j] === W[b * 24 + j] && W[a * 24 + j] === W[c * 24 + j];
      if (!same) continue;
      rigid++;
      for (let r = 0; r < 3; r++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += map.barycentric[i * 3 + k]! * vertices[avatar.body.faces[f * 3 + k]! * 3 + r]!;
        maxErr = Math.max(maxErr, Math.abs(s - posed[i * 3 + r]!));
      }
    }
    assert.ok(rigid > 200, `enough rigidly skinned Gaussians (${rigid})`);
    assert.ok(maxErr < 2e-5, `on the surface within ${maxErr}`);
  });

  it('evaluateAppearance: base colours and scales (copies), zero offsets', () => {
    const app = evaluateAppearance(avatar, new Float32Array(72));
    const g = avatar.gaussians;
    assert.deepEqual(app.colors, g.colors);
    assert.deepEqual(app.scales, g.scales);
    assert.notEqual(app.colors, g.colors);
    assert.equal(app.offsets.length, g.count * 3);
    assert.ok(app.offsets.every((v) => v === 0));
  });

  it('bad pose / trans / params → AvatarInputError naming the field', () => {
    const isInput = (re: RegExp) => (e: unknown) => e instanceof AvatarInputError && re.test((e as Error).message);
    assert.throws(() => poseGaussians(avatar, { pose: new Float32Array(69) }), isInput(/^pose: expected 72/));
    assert.throws(() => poseGaussians(avatar, { pose: new Float32Array(72), trans: [0, 0] }), isInput(/^trans:/));
    assert.throws(() => poseGaussians(avatar, null as unknown as { pose: number[] }), isInput(/^params: expected \{ pose, trans\?, betas\? \}/));
    assert.throws(() => skinningMatrices({ ...avatar, canonicalTransforms: new Float32Array(5) }, new Float32Array(72)), isInput(/^canonicalTransforms: expected J×16/));
  });
});
