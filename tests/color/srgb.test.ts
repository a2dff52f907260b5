// The sRGB transfer function (src/color/srgb.ts) against IEC 61966-2-1's published values and its
// own inverse, and the 8-bit table against the function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SRGB8_TO_LINEAR, linearToSrgb, linearToSrgb8, srgbToLinear } from '../../src/color/srgb.js';

test('known values: linear 0.5 ↔ sRGB 0.7353569830524495, 18 % grey, the ends and the linear toe', () => {
  assert.ok(Math.abs(linearToSrgb(0.5) - 0.7353569830524495) < 1e-15, `${linearToSrgb(0.5)}`);
  assert.ok(Math.abs(srgbToLinear(0.7353569830524495) - 0.5) < 1e-15, `${srgbToLinear(0.7353569830524495)}`);
  // sRGB 0.5 (level 127.5) is linear 0.214041; linear 0.18 (mid grey) is sRGB 0.461356.
  assert.ok(Math.abs(srgbToLinear(0.5) - 0.21404114048223255) < 1e-12);
  assert.ok(Math.abs(linearToSrgb(0.18) - 0.4613561295004543) < 1e-12);
  assert.equal(linearToSrgb(0), 0);
  assert.ok(Math.abs(linearToSrgb(1) - 1) < 1e-15);
  assert.equal(srgbToLinear(0), 0);
  assert.ok(Math.abs(srgbToLinear(1) - 1) < 1e-15);
  // The toe is linear: 12.92·x below 0.0031308.
  assert.ok(Math.abs(linearToSrgb(0.001) - 0.01292) < 1e-15);
  assert.ok(Math.abs(srgbToLinear(0.01292) - 0.001) < 1e-15);
});

test('round trip and continuity at the toe', () => {
  let worst = 0;
  for (let k = 0; k <= 10000; k++) {
    const x = k / 10000;
    worst = Math.max(worst, Math.abs(srgbToLinear(linearToSrgb(x)) - x), Math.abs(linearToSrgb(srgbToLinear(x)) - x));
  }
  assert.ok(worst < 1e-12, `round trip ${worst}`);
  // The two pieces meet at the thresholds (to the standard's 4-digit constants' precision).
  assert.ok(Math.abs(linearToSrgb(0.0031308 + 1e-12) - linearToSrgb(0.0031308)) < 1e-7);
  assert.ok(Math.abs(srgbToLinear(0.04045 + 1e-12) - srgbToLinear(0.04045)) < 1e-7);
  // Monotonic.
  for (let k = 1; k <= 1000; k++) assert.ok(linearToSrgb(k / 1000) > linearToSrgb((k - 1) / 1000) && srgbToLinear(k / 1000) > srgbToLinear((k - 1) / 1000));
});

test('values outside 0…1 are clamped; NaN becomes level 0', () => {
  assert.equal(linearToSrgb(-0.5), 0);
  assert.equal(linearToSrgb(1.5), linearToSrgb(1));
  assert.equal(srgbToLinear(-1), 0);
  assert.equal(srgbToLinear(2), srgbToLinear(1));
  assert.equal(linearToSrgb8(NaN), 0);
  assert.equal(linearToSrgb8(7), 255);
});

test('the 8-bit table: SRGB8_TO_LINEAR[k] = srgbToLinear(k/255) and linearToSrgb8 inverts it for all 256 levels', () => {
  assert.equal(SRGB8_TO_LINEAR.length, 256);
  assert.equal(SRGB8_TO_LINEAR[0], 0);
  assert.equal(SRGB8_TO_LINEAR[255], 1);
  assert.equal(SRGB8_TO_LINEAR[128], Math.fround(0.21586050011389926));
  for (let k = 0; k < 256; k++) {
    assert.equal(SRGB8_TO_LINEAR[k], Math.fround(srgbToLinear(k / 255)));
    assert.equal(linearToSrgb8(SRGB8_TO_LINEAR[k]!), k, `level ${k}`);
  }
  // The pink (216, 30, 63) in linear RGB.
  const pink = [216, 30, 63].map((k) => SRGB8_TO_LINEAR[k]!);
  assert.deepEqual(pink.map((v) => Number(v.toFixed(4))), [0.6867, 0.0130, 0.0497]);
});
