// Central finite differences of f64 twins, shared by the twin tests (the oracle of every backward pass).
import assert from 'node:assert/strict';

/** (f(v + h) − f(v − h)) / 2h for entry `index` of `values` (restored after). */
export function centralDifference(values: Float64Array, index: number, f: () => number, h = 1e-6): number {
  const saved = values[index];
  values[index] = saved + h;
  const plus = f();
  values[index] = saved - h;
  const minus = f();
  values[index] = saved;
  return (plus - minus) / (2 * h);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Checks every entry of `analytic` against the finite difference of f in `values`
 * (max |analytic − fd| / (1 + |fd|) < tolerance); returns the count of clearly non-zero entries,
 * so a caller can also require that the check was not vacuous.
 */
export function checkGradient(what: string, values: Float64Array, analytic: ArrayLike<number>, f: () => number, tolerance = 1e-6): number {
  let worst = 0, nonZero = 0;
  for (let k = 0; k < values.length; k++) {
    const fd = centralDifference(values, k, f);
    worst = Math.max(worst, Math.abs(fd - analytic[k]) / (1 + Math.abs(fd)));
    if (Math.abs(fd) > 1e-3) nonZero++;
  }
  assert.ok(worst < tolerance, `${what}: max |analytic − finite difference| / (1 + |fd|) = ${worst}`);
  return nonZero;
}
