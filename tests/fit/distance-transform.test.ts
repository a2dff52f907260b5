import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceTo, nearestTargetPixel } from '../../src/fit/distance-transform.js';

describe('distance transforms', () => {
  it('distanceTo and nearestTargetPixel match brute force on a small image', () => {
    const w = 9, h = 7;
    const target = new Uint8Array(w * h);
    target[2 * w + 3] = 1;
    target[5 * w + 7] = 1;
    const d = distanceTo(target, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Chamfer 1/√2 distance to a point: max(|dx|,|dy|) − min + √2·min.
        const to = (tx: number, ty: number) => {
          const ax = Math.abs(x - tx), ay = Math.abs(y - ty);
          return Math.max(ax, ay) - Math.min(ax, ay) + Math.SQRT2 * Math.min(ax, ay);
        };
        assert.ok(Math.abs(d[y * w + x]! - Math.min(to(3, 2), to(7, 5))) < 1e-5, `(${x}, ${y})`);
      }
    }
    assert.equal(distanceTo(new Uint8Array(4), 2, 2)[0], Infinity);
    // The nearest target pixel: one of the two points, and the nearer one wherever they are not near-tied.
    const nearest = nearestTargetPixel(target, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const a = Math.hypot(x - 3, y - 2), b = Math.hypot(x - 7, y - 5);
        const got = nearest[y * w + x]!;
        assert.ok(got === 2 * w + 3 || got === 5 * w + 7, `(${x}, ${y}) → ${got}`);
        if (Math.abs(a - b) > 1) assert.equal(got, a < b ? 2 * w + 3 : 5 * w + 7, `(${x}, ${y})`);
      }
    }
    assert.ok(nearestTargetPixel(new Uint8Array(4), 2, 2).every((n) => n === -1));
  });

});
