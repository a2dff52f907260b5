import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultAvatar, DEFAULT_AVATAR_RESOLUTION } from '../../src/avatar/default-avatar.js';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { BodyRegion, REGION_COLORS } from '../../src/avatar/procedural-colors.js';
import { linearToSrgb, srgbToLinear } from '../../src/color/srgb.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AvatarInputError } from '../../src/errors.js';

/** The region whose base colour (sRGB, as displayed) is within `tol` (per channel, relative) of displayed colour i, or −1. */
function regionOf(colors: Float32Array, i: number, tol = 0.2): number {
  let best = -1, bestErr = Infinity;
  for (const [region, base] of Object.entries(REGION_COLORS)) {
    let err = 0;
    for (let c = 0; c < 3; c++) err = Math.max(err, Math.abs(colors[i * 3 + c]! - base[c]!) / Math.max(base[c]!, 0.1));
    if (err < bestErr) [best, bestErr] = [Number(region), err];
  }
  return bestErr <= tol ? best : -1;
}

describe('createDefaultAvatar', () => {
  let avatar: Avatar;
  before(async () => (avatar = await createDefaultAvatar()));
  after(() => avatar.body.dispose());

  it(`covers the default body with N ≈ 64k Gaussians at R = ${DEFAULT_AVATAR_RESOLUTION}`, () => {
    const g = avatar.gaussians;
    assert.equal(g.resolution, DEFAULT_AVATAR_RESOLUTION);
    assert.ok(g.count >= 50_000 && g.count <= 100_000, `N = ${g.count}`);
    assert.equal(avatar.bodySource, 'default');
    assert.equal(avatar.network, undefined);
    assert.ok(!Number.isNaN(Date.parse(avatar.metadata.createdAt)));
    assert.equal(avatar.betas.length, avatar.body.numBetas);
    assert.ok(avatar.betas.every((b) => b === 0));
  });

  it('colours in 0…1; skin, hair, shirt (two stripe colours), trousers and shoes all present where they belong', () => {
    const { count: N, colors: linear, positions: P } = avatar.gaussians;
    const counts = new Map<number, number>();
    const ys = new Map<number, number[]>();
    for (let i = 0; i < linear.length; i++) assert.ok(linear[i]! >= 0 && linear[i]! <= 1 && Number.isFinite(linear[i]!), `colour ${i}`);
    // The palette is as displayed: compare what the screen shows (the linear colours sRGB-encoded).
    const colors = linear.map(linearToSrgb);
    for (let i = 0; i < N; i++) {
      const r = regionOf(colors, i);
      counts.set(r, (counts.get(r) ?? 0) + 1);
      if (!ys.has(r)) ys.set(r, []);
      ys.get(r)!.push(P[i * 3 + 1]!);
    }
    const share = (r: number) => (counts.get(r) ?? 0) / N;
    assert.ok(share(BodyRegion.Skin) > 0.08, `skin ${share(BodyRegion.Skin)}`);
    assert.ok(share(BodyRegion.Hair) > 0.01, `hair ${share(BodyRegion.Hair)}`);
    assert.ok(share(BodyRegion.Shirt) > 0.05, `shirt ${share(BodyRegion.Shirt)}`);
    assert.ok(share(BodyRegion.Trousers) > 0.15, `trousers ${share(BodyRegion.Trousers)}`);
    assert.ok(share(BodyRegion.Shoes) > 0.005, `shoes ${share(BodyRegion.Shoes)}`);
    // Where they are (canonical big pose, y up, pelvis at 0, feet near −0.75, head top near 0.79).
    const median = (r: number) => ys.get(r)!.sort((a, b) => a - b)[Math.floor(ys.get(r)!.length / 2)]!;
    assert.ok(Math.min(...ys.get(BodyRegion.Hair)!) > 0.55, 'hair only on the head');
    assert.ok(median(BodyRegion.Shirt) > 0.1 && median(BodyRegion.Shirt) < 0.55, 'shirt on the torso');
    assert.ok(Math.max(...ys.get(BodyRegion.Trousers)!) < 0.06, 'trousers below the waist');
    assert.ok(Math.max(...ys.get(BodyRegion.Shoes)!) < -0.55, 'shoes at the feet');
    // Striped shirt: the stripe colour is common and sits between shirt bands (same height range).
    let stripe = 0;
    for (let i = 0; i < N; i++) if (Math.abs(colors[i * 3 + 2]! - 0.42) < 0.06 && colors[i * 3]! < 0.2) stripe++;
    assert.ok(stripe / N > 0.04, `shirt stripes ${stripe / N}`);
    // Gentle shading: colours within a region vary, but only a little.
    const skin = [];
    for (let i = 0; i < N && skin.length < 5000; i++) if (regionOf(colors, i) === BodyRegion.Skin) skin.push(colors[i * 3]!);
    const spread = Math.max(...skin) - Math.min(...skin);
    assert.ok(spread > 0.01 && spread < 0.3, `skin shading spread ${spread}`);
  });

  it('stores linear RGB: skin shows as the palette\'s skin colour and is stored as its linear value', () => {
    const { count: N, colors: linear } = avatar.gaussians;
    const displayed = linear.map(linearToSrgb);
    const sumShown = [0, 0, 0], sumStored = [0, 0, 0];
    let n = 0;
    for (let i = 0; i < N; i++) {
      if (regionOf(displayed, i) !== BodyRegion.Skin) continue;
      n++;
      for (let c = 0; c < 3; c++) [sumShown[c], sumStored[c]] = [sumShown[c]! + displayed[i * 3 + c]!, sumStored[c]! + linear[i * 3 + c]!];
    }
    const skin = REGION_COLORS[BodyRegion.Skin];
    for (let c = 0; c < 3; c++) {
      // Shading noise averages out over thousands of Gaussians (±~8 % each).
      assert.ok(Math.abs(sumShown[c]! / n - skin[c]!) < 0.02, `shown skin channel ${c}: ${sumShown[c]! / n} vs ${skin[c]}`);
      assert.ok(Math.abs(sumStored[c]! / n - srgbToLinear(skin[c]!)) < 0.03, `stored skin channel ${c}: ${sumStored[c]! / n} vs linear ${srgbToLinear(skin[c]!)}`);
    }
  });

  it('weights rows sum to 1, scales positive, finite and about the texel spacing', () => {
    const { count: N, weights: W, scales: S, positions: P } = avatar.gaussians;
    const J = avatar.body.numJoints;
    for (let i = 0; i < N; i++) {
      let sum = 0;
      for (let j = 0; j < J; j++) {
        assert.ok(W[i * J + j]! >= 0);
        sum += W[i * J + j]!;
      }
      assert.ok(Math.abs(sum - 1) < 1e-5, `row ${i} sums to ${sum}`);
      assert.ok(S[i]! > 0 && Number.isFinite(S[i]!), `scale ${i}`);
    }
    // σ against the brute-force nearest-neighbour distance of a sample of Gaussians.
    const ratios: number[] = [];
    for (let s = 0; s < 300; s++) {
      const i = (s * 7919) % N;
      let nearest = Infinity;
      for (let k = 0; k < N; k++) {
        if (k === i) continue;
        const d = Math.hypot(P[k * 3]! - P[i * 3]!, P[k * 3 + 1]! - P[i * 3 + 1]!, P[k * 3 + 2]! - P[i * 3 + 2]!);
        if (d < nearest) nearest = d;
      }
      ratios.push(S[i]! / nearest);
    }
    ratios.sort((a, b) => a - b);
    const medianRatio = ratios[150]!;
    assert.ok(medianRatio > 0.5 && medianRatio < 1.5, `median σ / nearest-neighbour distance = ${medianRatio}`);
  });

  it('a rotated left elbow moves the left hand Gaussians and leaves the rest of the body alone', () => {
    const J = avatar.body.numJoints;
    const rest = poseGaussians(avatar, { pose: new Float32Array(J * 3) }).positions;
    const pose = new Float32Array(J * 3);
    pose[18 * 3 + 1] = -Math.PI / 2; // left elbow, 90° about y
    const bent = poseGaussians(avatar, { pose }).positions;
    const W = avatar.gaussians.weights;
    let handMoved = 0, hand = 0, still = 0, stillMax = 0;
    for (let i = 0; i < avatar.gaussians.count; i++) {
      const d = Math.hypot(bent[i * 3]! - rest[i * 3]!, bent[i * 3 + 1]! - rest[i * 3 + 1]!, bent[i * 3 + 2]! - rest[i * 3 + 2]!);
      if (W[i * J + 22]! + W[i * J + 20]! > 0.99) {
        hand++;
        if (d > 0.15) handMoved++;
      }
      // Not skinned to the left elbow, wrist or hand at all: must not move.
      if (W[i * J + 18] === 0 && W[i * J + 20] === 0 && W[i * J + 22] === 0) {
        still++;
        stillMax = Math.max(stillMax, d);
      }
    }
    assert.ok(hand > 500 && handMoved === hand, `${handMoved} of ${hand} left-hand Gaussians moved > 15 cm`);
    assert.ok(still > avatar.gaussians.count / 2 && stillMax < 1e-5, `${still} Gaussians off the left forearm moved up to ${stillMax}`);
  });

  it('rejects a bad resolution with AvatarInputError', async () => {
    for (const resolution of [0, 2.5, 5000, NaN, '64']) {
      await assert.rejects(createDefaultAvatar({ resolution: resolution as number }), (e: unknown) => e instanceof AvatarInputError && /^resolution: expected an integer in 1…4096/.test((e as Error).message));
    }
  });
});
