// The skinning twin's analytic backward against central finite differences of its forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centralDifference } from '../train/finite-difference.js';
import { makeSkinningFixture, skinBackwardTwin, skinForwardTwin } from './skinning-twin.js';

/** L = Σ gradPosed · posed, so ∂L/∂posed = gradPosed. */
function loss(canonical: Float64Array, weights: Float64Array, transforms: Float64Array, gradPosed: Float64Array, n: number, j: number): number {
  const posed = skinForwardTwin(canonical, weights, transforms, n, j);
  let sum = 0;
  for (let k = 0; k < posed.length; k++) sum += posed[k] * gradPosed[k];
  return sum;
}

for (const numJoints of [24, 55]) {
  test(`skinning twin backward matches central finite differences (J = ${numJoints})`, () => {
    const n = 37;
    const fx = makeSkinningFixture(n, numJoints, numJoints);
    const canonical = Float64Array.from(fx.canonical);
    const weights = Float64Array.from(fx.weights);
    const transforms = Float64Array.from(fx.transforms);
    const gradPosed = Float64Array.from(fx.gradPosed);
    const f = () => loss(canonical, weights, transforms, gradPosed, n, numJoints);
    const analytic = skinBackwardTwin(canonical, weights, transforms, gradPosed, n, numJoints);

    let maxError = 0;
    for (let k = 0; k < canonical.length; k++) {
      const fd = centralDifference(canonical, k, f);
      maxError = Math.max(maxError, Math.abs(fd - analytic.gradCanonical[k]));
    }
    assert.ok(maxError < 1e-7, `d L / d canonical: max |analytic − finite difference| = ${maxError}`);

    maxError = 0;
    let nonZero = 0;
    for (let k = 0; k < transforms.length; k++) {
      const fd = centralDifference(transforms, k, f);
      maxError = Math.max(maxError, Math.abs(fd - analytic.gradTransforms[k]));
      if (Math.abs(fd) > 1e-3) nonZero++;
    }
    assert.ok(maxError < 1e-7, `d L / d transforms: max |analytic − finite difference| = ${maxError}`);
    // Guards against a vacuous pass: most of the 12 live entries per joint carry gradient.
    assert.ok(nonZero > 6 * numJoints, `only ${nonZero} non-zero transform gradients`);
    for (let j = 0; j < numJoints; j++) for (let c = 0; c < 4; c++) assert.equal(analytic.gradTransforms[16 * j + 4 * c + 3], 0);
  });
}

test('skinning twin forward: identity transforms leave points where they are, weights summing to 1', () => {
  const fx = makeSkinningFixture(10, 24, 5);
  const identity = new Float64Array(16 * 24);
  for (let j = 0; j < 24; j++) for (let d = 0; d < 4; d++) identity[16 * j + 5 * d] = 1;
  const posed = skinForwardTwin(fx.canonical, fx.weights, identity, 10, 24);
  for (let k = 0; k < posed.length; k++) assert.ok(Math.abs(posed[k] - fx.canonical[k]) < 1e-6, `posed[${k}]`);
});
