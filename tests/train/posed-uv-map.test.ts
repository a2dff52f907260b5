// The posed UV map's CPU side: the texel layout and the root-frame matrix, checked with the twin on
// the default body (global orientation and translation must not reach the map).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { posedUvLayout, rootFrameMatrix, UNCOVERED_TEXEL } from '../../src/train/posed-uv-layout.js';
import { posedUvMapTwin, rodrigues } from './posed-uv-map-twin.js';
import { makeRng } from '../render/splat-fixtures.js';

describe('posed UV map layout and root frame', () => {
  let body: BodyModel;
  before(async () => {
    body = await createDefaultBody();
  });
  after(() => body.dispose());

  it('covers the texels the canonical map covers, with the same barycentrics', () => {
    const R = 24;
    const layout = posedUvLayout(body, R);
    const canonical = buildUvPositionalMap(body, { resolution: R });
    assert.equal(layout.covered, canonical.count);
    let covered = 0;
    for (let t = 0; t < R * R; t++) if (layout.texelVertices[3 * t] !== UNCOVERED_TEXEL) covered++;
    assert.equal(covered, canonical.count);
    for (let i = 0; i < canonical.count; i++) {
      const t = canonical.texels[i]!, f = canonical.faceIndex[i]!;
      for (let k = 0; k < 3; k++) {
        assert.equal(layout.texelVertices[3 * t + k], body.faces[3 * f + k]);
        assert.equal(layout.texelWeights[3 * t + k], canonical.barycentric[3 * i + k]);
      }
    }
  });

  it('rootFrameMatrix is R_rootᵀ · (x − pelvis) with R_root from the root axis-angle', () => {
    const rng = makeRng(3);
    const pose = Float32Array.from({ length: 72 }, () => 0.6 * (rng() - 0.5));
    pose.set([0.9, -2.1, 0.4], 0);
    const posed = body.forward({ pose, trans: [0.3, -0.2, 2.5] });
    const M = rootFrameMatrix(posed);
    const rot = rodrigues(0.9, -2.1, 0.4);
    const x = [0.1, 0.7, -0.3];
    const d = [0, 1, 2].map((c) => x[c]! - posed.joints[c]!);
    for (let r = 0; r < 3; r++) {
      const want = rot[0]![r]! * d[0]! + rot[1]![r]! * d[1]! + rot[2]![r]! * d[2]!;
      const got = M[r]! * x[0]! + M[4 + r]! * x[1]! + M[8 + r]! * x[2]! + M[12 + r]!;
      assert.ok(Math.abs(got - want) < 1e-5, `row ${r}: ${got} vs ${want}`);
    }
    assert.deepEqual([M[3], M[7], M[11], M[15]], [0, 0, 0, 1]);
  });

  it('the map ignores the global orientation and translation, and follows the joints', () => {
    const R = 24;
    const layout = posedUvLayout(body, R);
    const rng = makeRng(11);
    const pose = Float32Array.from({ length: 72 }, () => 0.5 * (rng() - 0.5));
    const mapOf = (root: number[], trans: number[], p = pose) => {
      const q = p.slice();
      q.set(root, 0);
      const posed = body.forward({ pose: q, trans });
      return posedUvMapTwin(layout, posed.vertices, q, posed.joints);
    };
    const a = mapOf([0, 0, 0], [0, 0, 0]);
    const b = mapOf([1.2, -0.4, 2.0], [0.5, 1.0, -3.0]);
    let worst = 0, extent = 0;
    for (let e = 0; e < a.length; e++) {
      worst = Math.max(worst, Math.abs(a[e]! - b[e]!));
      extent = Math.max(extent, Math.abs(a[e]!));
    }
    assert.ok(extent > 0.5, `the map spans the body (max |coordinate| ${extent} m)`);
    assert.ok(worst < 2e-5, `global motion leaked into the map: ${worst} m`);
    // Bending the left knee (joint 4) moves texels, by up to tens of centimetres.
    const bent = pose.slice();
    bent[3 * 4] += 1.2;
    const c = mapOf([0, 0, 0], [0, 0, 0], bent);
    let moved = 0;
    for (let e = 0; e < a.length; e++) moved = Math.max(moved, Math.abs(a[e]! - c[e]!));
    assert.ok(moved > 0.1, `a knee bend moves the map: ${moved} m`);
    for (let t = 0; t < R * R; t++) {
      if (layout.texelVertices[3 * t] === UNCOVERED_TEXEL) for (let ch = 0; ch < 3; ch++) assert.equal(a[ch * R * R + t], 0);
    }
  });
});
