import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SPACING_FRACTION, texelFootprintScales } from '../../src/avatar/texel-scales.js';

/** A full R×R map laid on a plane with texel spacing `dx` (columns) and `dy` (rows), metres. */
function planeMap(R: number, dx: number, dy: number) {
  const texels = new Uint32Array(R * R).map((_, i) => i);
  const positions = new Float32Array(R * R * 3);
  for (let t = 0; t < R * R; t++) positions.set([(t % R) * dx, Math.floor(t / R) * dy, 0], t * 3);
  return { resolution: R, count: R * R, texels, positions };
}

describe('texelFootprintScales', () => {
  it('σ = fraction × the texel spacing on a uniform plane', () => {
    const S = texelFootprintScales(planeMap(8, 0.004, 0.004));
    for (const s of S) assert.ok(Math.abs(s - DEFAULT_SPACING_FRACTION * 0.004) < 1e-9, `${s}`);
    const half = texelFootprintScales(planeMap(8, 0.004, 0.004), 0.5);
    assert.ok(Math.abs(half[10]! - 0.002) < 1e-9);
  });

  it('averages the two directions where the UV layout stretches the surface', () => {
    const S = texelFootprintScales(planeMap(8, 0.002, 0.005));
    // An interior texel sees two neighbours at 2 mm and two at 5 mm (≤ 3× the nearest): mean 3.5 mm.
    assert.ok(Math.abs(S[3 * 8 + 3]! - DEFAULT_SPACING_FRACTION * 0.0035) < 1e-9, `${S[27]}`);
  });

  it('ignores neighbours across a UV seam and gives isolated texels the median spacing', () => {
    const map = planeMap(8, 0.004, 0.004);
    // Move column 4 onwards one metre away: adjacent in UV, apart on the body (a seam).
    for (let t = 0; t < 64; t++) if (t % 8 >= 4) map.positions[t * 3 + 2] = 1;
    const S = texelFootprintScales(map);
    for (const s of S) assert.ok(Math.abs(s - DEFAULT_SPACING_FRACTION * 0.004) < 1e-9, `seam texel σ ${s}`);
    // Keep only texels 0 and 63 (no covered neighbours): both get the median, which falls back to 1 cm.
    const lonely = { resolution: 8, count: 2, texels: new Uint32Array([0, 63]), positions: new Float32Array(6) };
    assert.deepEqual(Array.from(texelFootprintScales(lonely)), [0.01, 0.01].map((v) => Math.fround(DEFAULT_SPACING_FRACTION * v)));
  });
});
