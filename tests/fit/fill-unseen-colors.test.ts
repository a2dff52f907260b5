import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { bigPose, buildUvPositionalMap, type UvGaussians } from '../../src/avatar/uv-positional-map.js';
import { AvatarInputError } from '../../src/errors.js';
import { FillSource, fillUnseenColors, type UvMapPoints } from '../../src/fit/fill-unseen-colors.js';
import { limbAxes } from '../../src/fit/limb-axes.js';
import { PointGrid } from '../../src/fit/point-grid.js';

const RED = [0.8, 0.05, 0.05], BLUE = [0.05, 0.1, 0.7];

function colorsWhere(map: UvMapPoints, pick: (x: number, y: number, z: number) => number[] | null): { colors: Float32Array; seen: Uint8Array } {
  const colors = new Float32Array(3 * map.count), seen = new Uint8Array(map.count);
  for (let i = 0; i < map.count; i++) {
    const c = pick(map.positions[3 * i]!, map.positions[3 * i + 1]!, map.positions[3 * i + 2]!);
    if (!c) continue;
    colors.set(c, 3 * i);
    seen[i] = 1;
  }
  return { colors, seen };
}

const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('fillUnseenColors', () => {
  let body: BodyModel;
  let map: UvGaussians;
  before(async () => {
    body = await createDefaultBody();
    map = buildUvPositionalMap(body, { resolution: 48, betas: new Float32Array(10) });
  });
  after(() => body.dispose());

  it('fills one unseen side from its mirror image (x → −x)', () => {
    // Left side (+x) seen, its colour a function of height; the right side unseen.
    const shade = (y: number) => [0.2 + 0.3 * (y + 1) / 2, 0.1, 0.4];
    const { colors, seen } = colorsWhere(map, (x, y) => (x > 0.01 ? shade(y) : null));
    const out = fillUnseenColors(map, colors, seen);
    let right = 0, mirrored = 0, worst = 0;
    for (let i = 0; i < map.count; i++) {
      const x = map.positions[3 * i]!, y = map.positions[3 * i + 1]!;
      if (x > -0.03) continue;
      right++;
      if (out.source[i] !== FillSource.mirror) continue;
      mirrored++;
      worst = Math.max(worst, distance(out.colors.subarray(3 * i, 3 * i + 3), shade(y)));
    }
    assert.ok(mirrored > 0.9 * right, `${mirrored} of ${right} right-side Gaussians mirrored`);
    // The twins it copied from are returned (trainAvatar's mirrorTwins): seen ones, near the mirror image, only for mirrored Gaussians.
    for (let i = 0; i < map.count; i++) {
      const t = out.twins[i]!;
      assert.equal(t >= 0, out.source[i] === FillSource.mirror, `Gaussian ${i}: twin ${t}, source ${out.source[i]}`);
      if (t < 0) continue;
      assert.equal(seen[t], 1);
      const p = map.positions;
      assert.ok(distance([-p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!], p.subarray(3 * t, 3 * t + 3)) < 0.05);
    }
    // Mirror twins lie within a texel spacing (~2.5 cm at R = 48): the shade differs by < 0.3 × 0.03.
    assert.ok(worst < 0.01, `worst mirrored colour error ${worst}`);
  });

  it('diffuses seen colours over the UV map into what nobody saw, blending by distance', () => {
    // Without symmetry: the head and chest blue (y > 0.2), the legs red (y < −0.4), the belly unseen.
    const { colors, seen } = colorsWhere(map, (_x, y) => (y > 0.2 ? BLUE : y < -0.4 ? RED : null));
    const out = fillUnseenColors(map, colors, seen, { mirror: false });
    let nearBlue = 0, nearBlueBlueish = 0, nearRed = 0, nearRedReddish = 0;
    for (let i = 0; i < map.count; i++) {
      assert.notEqual(out.source[i], 255, `Gaussian ${i} left unfilled`);
      for (let c = 0; c < 3; c++) assert.ok(out.colors[3 * i + c]! >= 0 && out.colors[3 * i + c]! <= 1);
      if (seen[i]) {
        assert.equal(out.source[i], FillSource.seen);
        assert.deepEqual(Array.from(out.colors.subarray(3 * i, 3 * i + 3)), Array.from(colors.subarray(3 * i, 3 * i + 3)));
        continue;
      }
      const y = map.positions[3 * i + 1]!;
      const c = out.colors.subarray(3 * i, 3 * i + 3);
      if (y > 0.12) {
        nearBlue++;
        if (distance(c, BLUE) < distance(c, RED)) nearBlueBlueish++;
      } else if (y < -0.32) {
        nearRed++;
        if (distance(c, RED) < distance(c, BLUE)) nearRedReddish++;
      }
    }
    assert.ok(nearBlue > 10 && nearBlueBlueish > 0.9 * nearBlue, `just below the chest: ${nearBlueBlueish} of ${nearBlue} blueish`);
    assert.ok(nearRed > 10 && nearRedReddish > 0.9 * nearRed, `just above the legs: ${nearRedReddish} of ${nearRed} reddish`);
  });

  it('fills round the body: the back of a band the camera never saw stays a band', () => {
    // Only the front (z > 0) seen, its colour banded by height: a pink waistband between skin above
    // and dark trousers below. The back's colours should follow the bands round the trunk and legs.
    const joints = body.forward({ pose: bigPose(body.numJoints), betas: new Float32Array(10) }).joints;
    const axes = limbAxes(map.weights, joints, body.parents);
    const SKIN = [0.6, 0.35, 0.25], PINK = [0.8, 0.05, 0.2], DARK = [0.02, 0.03, 0.03];
    const band = (y: number) => (y > -0.02 ? SKIN : y > -0.12 ? PINK : DARK);
    const { colors, seen } = colorsWhere(map, (_x, y, z) => (z > 0 ? band(y) : null));
    const ringed = fillUnseenColors({ ...map, axes }, colors, seen);
    const diffused = fillUnseenColors(map, colors, seen);
    // Scored on the back of the trunk and thighs, away from the bands' edges (a texel's spacing each side).
    let count = 0, ringError = 0, diffusionError = 0, rings = 0;
    for (let i = 0; i < map.count; i++) {
      const [x, y, z] = [map.positions[3 * i]!, map.positions[3 * i + 1]!, map.positions[3 * i + 2]!];
      if (z > -0.04 || Math.abs(x) > 0.15 || y < -0.45 || y > 0.3 || Math.abs(y + 0.02) < 0.03 || Math.abs(y + 0.12) < 0.03) continue;
      count++;
      if (ringed.source[i] === FillSource.ring) rings++;
      ringError += distance(ringed.colors.subarray(3 * i, 3 * i + 3), band(y));
      diffusionError += distance(diffused.colors.subarray(3 * i, 3 * i + 3), band(y));
    }
    ringError /= count;
    diffusionError /= count;
    assert.ok(count > 30 && rings > 0.9 * count, `${rings} of ${count} back Gaussians filled round the body`);
    assert.ok(ringError < 0.05 && ringError < 0.4 * diffusionError, `mean colour error on the back: round the body ${ringError.toFixed(3)}, diffusion ${diffusionError.toFixed(3)}`);
    // Seen colours and mirror fills are kept; the ends of the body (head, hands, feet) are not filled round.
    for (let i = 0; i < map.count; i++) {
      if (seen[i]) assert.equal(ringed.source[i], FillSource.seen);
      if (axes[3 * i] === 0 && axes[3 * i + 1] === 0 && axes[3 * i + 2] === 0) assert.notEqual(ringed.source[i], FillSource.ring);
    }
    assert.deepEqual(fillUnseenColors({ ...map, axes }, colors, seen, { ring: false }).source, diffused.source);
    assert.throws(() => fillUnseenColors({ ...map, axes: new Float32Array(4) }, colors, seen), (e: unknown) => e instanceof AvatarInputError && /map\.axes/.test(e.message));
  });

  it('fills a UV island nobody saw from the nearest filled region in space', () => {
    // Two 2×2 islands far apart on a 16×16 map, 5 cm apart on the body: only one is seen.
    const R = 16;
    const texels = Uint32Array.from([0, 1, 16, 17, 200, 201, 216, 217]);
    const positions = new Float32Array(24);
    texels.forEach((_, i) => positions.set([(i % 2) * 0.01, (i >> 1 & 1) * 0.01 + (i >= 4 ? 0.05 : 0), 0], 3 * i));
    const colors = new Float32Array(24);
    const seen = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) colors.set(BLUE, 3 * i);
    const out = fillUnseenColors({ resolution: R, count: 8, texels, positions }, colors, seen, { mirror: false });
    for (let i = 4; i < 8; i++) {
      assert.equal(out.source[i], FillSource.nearest);
      assert.ok(distance(out.colors.subarray(3 * i, 3 * i + 3), BLUE) < 1e-6);
    }
  });

  it('falls back to neutral grey when nothing was seen, and checks its arrays', () => {
    const out = fillUnseenColors(map, new Float32Array(3 * map.count), new Uint8Array(map.count));
    assert.ok(out.source.every((s) => s === FillSource.fallback));
    assert.ok(out.colors.every((c) => c === out.colors[0]) && out.colors[0]! > 0.05 && out.colors[0]! < 0.5);
    assert.throws(() => fillUnseenColors(map, new Float32Array(5), new Uint8Array(map.count)), (e: unknown) => e instanceof AvatarInputError && /colors/.test(e.message));
    assert.throws(() => fillUnseenColors(map, new Float32Array(3 * map.count), new Uint8Array(3)), (e: unknown) => e instanceof AvatarInputError && /seen/.test(e.message));
  });
});

describe('PointGrid', () => {
  it('finds the same nearest point as a brute-force search, within the distance asked', () => {
    let s = 7;
    const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const points = Float32Array.from({ length: 3 * 500 }, () => random() * 0.5);
    const members = Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 3 !== 0);
    const grid = new PointGrid(points, members, 0.03);
    for (let q = 0; q < 100; q++) {
      const [x, y, z] = [random() * 0.7 - 0.1, random() * 0.7 - 0.1, random() * 0.7 - 0.1];
      let best = -1, bestDistance = Infinity;
      for (const i of members) {
        const d = Math.hypot(points[3 * i]! - x, points[3 * i + 1]! - y, points[3 * i + 2]! - z);
        if (d < bestDistance) [best, bestDistance] = [i, d];
      }
      assert.equal(grid.nearest(x, y, z), best);
      assert.equal(grid.nearest(x, y, z, bestDistance * 0.99), -1);
      // Radius query: exactly the members a brute-force search finds within it, with their squared distances.
      const radius = 0.05 + 0.1 * random();
      const found = new Map<number, number>();
      grid.forEachWithin(x, y, z, radius, (i, squared) => found.set(i, squared));
      const expected = members.filter((i) => Math.hypot(points[3 * i]! - x, points[3 * i + 1]! - y, points[3 * i + 2]! - z) <= radius);
      assert.deepEqual([...found.keys()].sort((a, b) => a - b), expected);
      for (const [i, squared] of found) assert.ok(Math.abs(squared - ((points[3 * i]! - x) ** 2 + (points[3 * i + 1]! - y) ** 2 + (points[3 * i + 2]! - z) ** 2)) < 1e-9);
    }
  });
});
