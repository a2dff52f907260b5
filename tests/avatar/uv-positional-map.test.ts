import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rasterizeUvSurface, bigPose, type UvSurface } from '../../src/avatar/uv-positional-map.js';
import { AvatarInputError } from '../../src/errors.js';

/** A unit square in UV made of two triangles over a 3D quad spanning x∈[0,2], y∈[0,1], z = 0.5. */
function squareSurface(): UvSurface {
  return {
    vertices: new Float32Array([0, 0, 0.5, 2, 0, 0.5, 2, 1, 0.5, 0, 1, 0.5]),
    faces: new Uint32Array([0, 1, 2, 0, 2, 3]),
    uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
    uvFaces: new Uint32Array([0, 1, 2, 0, 2, 3]),
    // Two joints: weight of joint 1 grows with x.
    weights: new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]),
    numJoints: 2,
  };
}

describe('UV positional map', () => {
  it('covers every texel of a full UV square exactly once, positions interpolate the surface', () => {
    const R = 16;
    const map = rasterizeUvSurface(squareSurface(), R);
    assert.equal(map.count, R * R);
    assert.equal(new Set(map.texels).size, R * R);
    for (let i = 0; i < map.count; i++) {
      const row = Math.floor(map.texels[i] / R), col = map.texels[i] % R;
      const u = (col + 0.5) / R, v = 1 - (row + 0.5) / R;
      assert.ok(Math.abs(map.positions[i * 3] - 2 * u) < 1e-5, `x at texel ${i}`);
      assert.ok(Math.abs(map.positions[i * 3 + 1] - v) < 1e-5, `y at texel ${i}`);
      assert.ok(Math.abs(map.positions[i * 3 + 2] - 0.5) < 1e-6);
      const w0 = map.weights[i * 2], w1 = map.weights[i * 2 + 1];
      assert.ok(Math.abs(w0 + w1 - 1) < 1e-6);
      assert.ok(Math.abs(w1 - u) < 1e-5, `weights interpolate barycentrically at texel ${i}`);
      const b = map.barycentric.subarray(i * 3, i * 3 + 3);
      assert.ok(b[0] >= -1e-6 && b[1] >= -1e-6 && b[2] >= -1e-6);
    }
  });

  it('covers only the texels inside a half-square triangle (about half of them)', () => {
    const s = squareSurface();
    s.faces = s.faces.slice(0, 3);
    s.uvFaces = s.uvFaces.slice(0, 3);
    const R = 32;
    const map = rasterizeUvSurface(s, R);
    // Texels strictly below the diagonal v < u plus those on it.
    let expected = 0;
    for (let row = 0; row < R; row++) for (let col = 0; col < R; col++) {
      const u = (col + 0.5) / R, v = 1 - (row + 0.5) / R;
      if (v <= u + 1e-9) expected++;
    }
    assert.equal(map.count, expected);
  });

  it('rejects a bad resolution with a typed error naming the field', () => {
    assert.throws(() => rasterizeUvSurface(squareSurface(), 0), (e: unknown) => e instanceof AvatarInputError && /resolution/.test(e.message));
    assert.throws(() => rasterizeUvSurface(squareSurface(), 2.5), AvatarInputError);
  });

  it('big pose spreads the legs ±30° about z and nothing else', () => {
    const p = bigPose(24);
    assert.equal(p.length, 72);
    assert.ok(Math.abs(p[5] - Math.PI / 6) < 1e-7 && Math.abs(p[8] + Math.PI / 6) < 1e-7);
    let others = 0;
    p.forEach((x, i) => { if (i !== 5 && i !== 8) others += Math.abs(x); });
    assert.equal(others, 0);
  });
});
