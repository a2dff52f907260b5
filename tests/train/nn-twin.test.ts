// The appearance-network twins' analytic backward passes against central finite differences of
// their forward passes (f64), plus closed-form checks of the Adam twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activateDerivativeTwin, activateTwin, adamStepTwin, concatPoseCodeBackwardTwin, concatPoseCodeTwin, fixtureRandom, headsBackwardTwin, headsForwardTwin, matmulBackwardInputTwin,
  matmulBackwardLayerTwin, matmulForwardTwin, mlpBackwardTwin, mlpForwardTwin, randomFloats, sampleFeaturesBackwardTwin, sampleFeaturesTwin,
  type TwinActivation,
} from './nn-twin.js';
import { checkGradient, dot } from './finite-difference.js';

test('activation derivatives match finite differences (ReLU away from 0, SiLU everywhere)', () => {
  for (const kind of ['identity', 'relu', 'silu'] as TwinActivation[]) {
    for (const z of [-30, -4, -1.3, -0.2, 0.3, 1, 2.5, 12]) {
      const h = 1e-6;
      const fd = (activateTwin(z + h, kind) - activateTwin(z - h, kind)) / (2 * h);
      assert.ok(Math.abs(fd - activateDerivativeTwin(z, kind)) < 1e-8, `${kind}'(${z}): fd ${fd}, analytic ${activateDerivativeTwin(z, kind)}`);
    }
  }
  assert.equal(activateTwin(-2, 'relu'), 0);
  assert.ok(Math.abs(activateTwin(2, 'silu') - 2 / (1 + Math.exp(-2))) < 1e-15);
});

for (const act of ['identity', 'relu', 'silu'] as TwinActivation[]) {
  test(`dense layer twin backward matches finite differences (input activation ${act})`, () => {
    const rows = 5, inputs = 4, outputs = 3;
    const rand = fixtureRandom(11);
    const x = Float64Array.from(randomFloats(rows * inputs, rand, -2, 2));
    const layer = Float64Array.from(randomFloats((inputs + 1) * outputs, rand));
    const gradZ = randomFloats(rows * outputs, rand);
    const f = () => dot(matmulForwardTwin(x, layer, rows, inputs, outputs, act), gradZ);
    const gradX = matmulBackwardInputTwin(gradZ, layer, x, rows, inputs, outputs, act);
    const { grad } = matmulBackwardLayerTwin(x, gradZ, rows, inputs, outputs, act);
    assert.ok(checkGradient('∂L/∂X', x, gradX, f) > rows * inputs / 3);
    assert.ok(checkGradient('∂L/∂layer', layer, grad, f) > (inputs + 1) * outputs / 2);
  });
}

for (const activation of ['relu', 'silu'] as const) {
  test(`MLP twin backward (3 layers, ${activation}) matches finite differences for every weight, bias and input`, () => {
    const widths = [5, 8, 6, 7], rows = 4;
    const rand = fixtureRandom(23);
    const layers = widths.slice(0, -1).map((w, l) => Float64Array.from(randomFloats((w + 1) * widths[l + 1], rand)));
    const net = { widths, activation, layers };
    const input = Float64Array.from(randomFloats(rows * widths[0], rand, -2, 2));
    const gradOut = randomFloats(rows * widths[3], rand);
    const f = () => dot(mlpForwardTwin(net, input, rows)[2], gradOut);
    const analytic = mlpBackwardTwin(net, input, gradOut, rows);
    layers.forEach((layer, l) => assert.ok(checkGradient(`∂L/∂layer${l}`, layer, analytic.layers[l], f) > 0, `layer ${l} has no gradient`));
    assert.ok(checkGradient('∂L/∂input', input, analytic.input, f) > 0);
  });
}

test('feature sampling twin: exact at texel centres, clamped at the edges, backward = finite differences', () => {
  const channels = 3, resolution = 4, count = 9, stride = 5, offset = 1;
  const rand = fixtureRandom(5);
  const features = Float64Array.from(randomFloats(channels * resolution * resolution, rand));
  // Texel centres, an edge beyond the outermost centres, corners, and arbitrary points.
  const uv = Float64Array.from([0.375, 1 - 0.125, 0.125, 1 - 0.875, 0, 0, 1, 1, 0.02, 0.5, 0.33, 0.71, 0.9, 0.1, 0.5, 0.5, 0.61, 0.27]);
  const out = new Float64Array(count * stride).fill(7);
  sampleFeaturesTwin(features, channels, resolution, uv, count, out, stride, offset);
  const plane = resolution * resolution;
  for (let c = 0; c < channels; c++) {
    assert.equal(out[0 * stride + offset + c], features[c * plane + 0 * resolution + 1]); // texel (0, 1)
    assert.equal(out[1 * stride + offset + c], features[c * plane + 3 * resolution + 0]); // texel (3, 0)
    assert.equal(out[2 * stride + offset + c], features[c * plane + 3 * resolution + 0]); // (u, v) = (0, 0): bottom-left texel
    assert.equal(out[3 * stride + offset + c], features[c * plane + 0 * resolution + 3]); // (1, 1): top-right texel
  }
  for (let n = 0; n < count; n++) {
    assert.equal(out[n * stride], 7, 'column before offset untouched');
    assert.equal(out[n * stride + 4], 7, 'column after the channels untouched');
  }
  const gradOut = randomFloats(count * stride, rand);
  const f = () => {
    const o = new Float64Array(count * stride);
    sampleFeaturesTwin(features, channels, resolution, uv, count, o, stride, offset);
    let s = 0;
    for (let n = 0; n < count; n++) for (let c = 0; c < channels; c++) s += o[n * stride + offset + c] * gradOut[n * stride + offset + c];
    return s;
  };
  const analytic = sampleFeaturesBackwardTwin(gradOut, channels, resolution, uv, count, stride, offset);
  assert.ok(checkGradient('∂L/∂F', features, analytic, f) > 10);
});

test('heads twin: bounded outputs, backward matches finite differences', () => {
  const p = { maxOffset: 0.02, minScale: 0.001, maxScale: 0.03 };
  const count = 6;
  const rand = fixtureRandom(9);
  const raw = Float64Array.from(randomFloats(7 * count, rand, -4, 4));
  raw[0] = 40; // saturated tanh and sigmoid stay finite and inside their bounds
  raw[3] = -40;
  const out = headsForwardTwin(raw, count, p);
  for (let n = 0; n < count; n++) {
    assert.ok(out.scales[n] >= p.minScale && out.scales[n] <= p.maxScale, `scale ${out.scales[n]}`);
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(out.offsets[3 * n + k]) <= p.maxOffset);
      assert.ok(out.colors[3 * n + k] > 0 && out.colors[3 * n + k] < 1);
    }
  }
  assert.ok(Math.abs(out.offsets[0] - p.maxOffset) < 1e-12);
  const gO = randomFloats(3 * count, rand), gS = randomFloats(count, rand), gC = randomFloats(3 * count, rand);
  const f = () => {
    const o = headsForwardTwin(raw, count, p);
    return dot(o.offsets, gO) + dot(o.scales, gS) + dot(o.colors, gC);
  };
  assert.ok(checkGradient('∂L/∂raw', raw, headsBackwardTwin(raw, gO, gS, gC, count, p), f, 1e-7) > 20);
});

test('Adam twin: first step moves every parameter by lr against the gradient sign; decay and moments as defined', () => {
  const grad = [0.5, -2, 1e-3, -1e-4];
  const state = { param: Float64Array.from([1, 1, -1, 0]), m: new Float64Array(4), v: new Float64Array(4), step: 0 };
  adamStepTwin(state, grad, 0.1, 0.9, 0.999, 1e-15, 0);
  [0.9, 1.1, -1.1, 0.1].forEach((want, i) => assert.ok(Math.abs(state.param[i] - want) < 1e-9, `param ${i}: ${state.param[i]}`));
  assert.ok(Math.abs(state.m[1] - 0.1 * -2) < 1e-15 && Math.abs(state.v[1] - 0.001 * 4) < 1e-15);
  // A constant gradient keeps the bias-corrected step at exactly lr (m̂ = g, v̂ = g²).
  adamStepTwin(state, grad, 0.1, 0.9, 0.999, 1e-15, 0);
  assert.ok(Math.abs(state.param[0] - 0.8) < 1e-12, `${state.param[0]}`);
  // Decoupled weight decay with a zero gradient only shrinks: p ← p (1 − lr wd).
  const decay = { param: Float64Array.from([2]), m: new Float64Array(1), v: new Float64Array(1), step: 0 };
  adamStepTwin(decay, [0], 0.01, 0.9, 0.999, 1e-8, 0.5);
  assert.ok(Math.abs(decay.param[0] - 2 * (1 - 0.005)) < 1e-15);
});

test('pose code broadcast twin: backward (column sums) matches finite differences', () => {
  const count = 7, length = 4, stride = 9, offset = 3;
  const rand = fixtureRandom(31);
  const code = Float64Array.from(randomFloats(length, rand));
  const gradOut = randomFloats(count * stride, rand);
  const f = () => {
    const out = new Float64Array(count * stride);
    concatPoseCodeTwin(code, count, out, stride, offset);
    return dot(out, gradOut);
  };
  assert.equal(checkGradient('∂L/∂code', code, concatPoseCodeBackwardTwin(gradOut, length, count, stride, offset), f), length);
});
