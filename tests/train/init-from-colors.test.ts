import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Avatar, NetworkTensor } from '../../src/avatar/types.js';
import { AvatarInputError } from '../../src/errors.js';
import { APPEARANCE_ARCHITECTURE, configRecord, type AppearanceConfig } from '../../src/train/appearance-config.js';
import { evaluateNetworkAppearance } from '../../src/train/evaluate-network.js';
import { colorInitProblem, tensorsFromColors } from '../../src/train/init-from-colors.js';
import { normalSamples, seededUniform } from '../../src/train/nn/init.js';
import { poseCodeLength } from '../../src/train/pose-code.js';

const J = 24;

/** A randomly initialised network's tensors (random biases too, so the test sees them zeroed where it must). */
function randomTensors(config: AppearanceConfig, seed: number): Record<string, NetworkTensor> {
  const uniform = seededUniform(seed);
  const C = config.featureChannels, Rf = config.featureResolution;
  const widths = [C + config.poseCodeLength, ...config.hidden, 7];
  const tensors: Record<string, NetworkTensor> = { features: { shape: [C, Rf, Rf], data: normalSamples(C * Rf * Rf, 0.1, uniform) } };
  for (let l = 0; l + 1 < widths.length; l++) {
    tensors[`layer${l}.weight`] = { shape: [widths[l]!, widths[l + 1]!], data: normalSamples(widths[l]! * widths[l + 1]!, Math.sqrt(2 / widths[l]!), uniform) };
    tensors[`layer${l}.bias`] = { shape: [widths[l + 1]!], data: normalSamples(widths[l + 1]!, 0.1, uniform) };
  }
  return tensors;
}

/** Gaussians on a random subset of an R×R map with random colours. */
function gaussians(R: number, seed: number): { texels: Uint32Array; colors: Float32Array } {
  const uniform = seededUniform(seed);
  const texels = Uint32Array.from(Array.from({ length: R * R }, (_, t) => t).filter(() => uniform() < 0.6));
  return { texels, colors: Float32Array.from({ length: 3 * texels.length }, () => uniform()) };
}

function evaluate(config: AppearanceConfig, tensors: Record<string, NetworkTensor>, R: number, texels: Uint32Array, pose: Float32Array) {
  const avatar = {
    body: { numJoints: J },
    gaussians: { resolution: R, count: texels.length, texels },
    network: { architecture: APPEARANCE_ARCHITECTURE, config: configRecord(config), tensors },
  } as unknown as Avatar;
  return evaluateNetworkAppearance(avatar, pose);
}

function config(overrides: Partial<AppearanceConfig> = {}): AppearanceConfig {
  return { featureChannels: 8, featureResolution: 24, poseCodeLength: 0, hidden: [16, 12], activation: 'relu', maxOffset: 0.04, minScale: 0.002, maxScale: 0.02, ...overrides };
}

describe('tensorsFromColors', () => {
  for (const [name, c] of [
    ['two hidden layers', config()],
    ['one hidden layer of exactly 6', config({ hidden: [6] })],
    ['three hidden layers and a pose code (stage 2 layout)', config({ hidden: [8, 10, 7], poseCodeLength: poseCodeLength(J) })],
    ['no hidden layer', config({ hidden: [] })],
  ] as const) {
    it(`makes the network return the given colours at init: ${name}`, () => {
      const R = c.featureResolution;
      const { texels, colors } = gaussians(R, 3);
      const tensors = tensorsFromColors(randomTensors(c, 5), c, { colors, texels, resolution: R });
      const pose = Float32Array.from({ length: 3 * J }, (_, k) => 0.3 * Math.sin(k));
      const out = evaluate(c, tensors, R, texels, pose);
      let worst = 0;
      for (let k = 0; k < colors.length; k++) {
        const want = Math.min(1 - 1e-3, Math.max(1e-3, colors[k]!));
        worst = Math.max(worst, Math.abs(out.colors[k]! - want));
      }
      assert.ok(worst < 1e-4, `worst colour error ${worst}`);
      // The large colour logits do not reach the offset and scale heads: they stay off their bounds.
      const saturated = out.offsets.filter((o) => Math.abs(o) > 0.9 * c.maxOffset).length;
      assert.ok(saturated < 0.05 * out.offsets.length, `${saturated} of ${out.offsets.length} offsets saturated`);
    });
  }

  it('leaves the rest of the random initialisation alone', () => {
    const c = config();
    const R = c.featureResolution;
    const { texels, colors } = gaussians(R, 4);
    const before = randomTensors(c, 9);
    const after = tensorsFromColors(before, c, { colors, texels, resolution: R });
    const plane = R * R;
    assert.deepEqual(after.features!.data.subarray(3 * plane), before.features!.data.subarray(3 * plane));
    // Layer 1 (16 → 12): rows 6… and columns 6… as they were.
    const W0 = before['layer1.weight']!.data, W1 = after['layer1.weight']!.data;
    for (let r = 6; r < 16; r++) for (let o = 6; o < 12; o++) assert.equal(W1[r * 12 + o], W0[r * 12 + o]);
    assert.notEqual(before.features!.data[0], after.features!.data[0]);
  });

  it('approximates the colours when the feature tensor is coarser than the UV map', () => {
    const c = config({ featureResolution: 16 });
    const R = 32;
    // A smooth colour field over the map: the coarse tensor can hold it.
    const texels = Uint32Array.from({ length: R * R }, (_, t) => t);
    const colors = Float32Array.from({ length: 3 * R * R }, (_, k) => 0.5 + 0.3 * Math.sin((Math.floor(k / 3) % R) / 10 + (k % 3)));
    const tensors = tensorsFromColors(randomTensors(c, 2), c, { colors, texels, resolution: R });
    const out = evaluate(c, tensors, R, texels, new Float32Array(3 * J));
    let worst = 0;
    for (let k = 0; k < colors.length; k++) worst = Math.max(worst, Math.abs(out.colors[k]! - colors[k]!));
    assert.ok(worst < 0.03, `worst colour error ${worst}`);
  });

  it('rejects networks that cannot pass colours through, and colours that do not fit', () => {
    assert.match(colorInitProblem(config({ featureChannels: 2 }))!, /featureChannels/);
    assert.match(colorInitProblem(config({ hidden: [64, 5] }))!, /hidden/);
    assert.match(colorInitProblem(config({ activation: 'silu' }))!, /relu/);
    assert.equal(colorInitProblem(config()), null);
    const c = config();
    const { texels } = gaussians(c.featureResolution, 1);
    const isInputError = (field: RegExp) => (e: unknown) => e instanceof AvatarInputError && field.test(e.message);
    assert.throws(() => tensorsFromColors(randomTensors(c, 1), c, { colors: new Float32Array(5), texels, resolution: 24 }), isInputError(/initialColors: expected Float32Array/));
    assert.throws(() => tensorsFromColors(randomTensors(c, 1), c, { colors: new Float32Array(3 * texels.length).fill(2), texels, resolution: 24 }), isInputError(/initialColors\[0\]/));
    assert.throws(() => tensorsFromColors(randomTensors(config({ hidden: [4] }), 1), config({ hidden: [4] }), { colors: new Float32Array(3 * texels.length), texels, resolution: 24 }), isInputError(/hidden/));
  });
});
