// The default-body asset stores positions, UVs, shape components and skinning weights quantised to
// 16 bits (scripts/body/asset-writer.mjs → src/body/default-body-format.ts). These tests bound what
// that costs: a float body (the default body moved off the quantisation grid by seeded sub-millimetre
// noise, so every value really is rounded) is encoded, decoded and compared with itself under
// rest, β = ±2 on each component, random β ∈ [−2, 2]¹⁰ and random poses.
//
// Bounds, from the analysis and what was measured (the committed asset against the former float
// asset, GADBODY1: vertices ≤ 0.041 mm, mean 0.012 mm; joints ≤ 0.028 mm; weights ≤ 2.0e-5; UVs ≤ 7.6e-6):
// - a rest vertex is off by at most half a position step per axis (span/65 535 ≈ 27 µm: ≤ 23 µm);
//   each shape component adds at most 2.5 µm per unit |β|, in practice the ten roundings cancel
//   (worst case, all aligned, ≈ 0.11 mm at |β| = 2 everywhere; the largest seen is under 0.05 mm);
//   0.06 mm is far below anything visible (a Gaussian is millimetres wide) and catches a wrong step,
//   a lost component or an off-by-one vertex (centimetres);
// - weights: half a step (1/131 070) per entry plus renormalisation of a few entries: ≤ 5e-5;
// - UVs: half a step of 1/65 535, ≤ 7.7e-6 (0.03 texel of a 4096² texture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeDefaultBody } from '../../scripts/body/asset-writer.mjs';
import { decodeDefaultBody } from '../../src/body/default-body-format.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import type { BodyModelData } from '../../src/body/types.js';
import { bodyDataError } from './body-data-error.js';

const J = 24;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** The default body with every stored float nudged off the grid the asset was quantised on. */
function offGridBody(): BodyModelData {
  const data = defaultBodyData(), rand = random(5);
  const V = data.vTemplate.length / 3;
  const vTemplate = data.vTemplate.map((x) => x + 3e-5 * rand());
  const shapedirs = data.shapedirs.map((x) => x + 5e-6 * rand());
  const uvs = data.uvs!.map((x) => Math.min(1, Math.max(0, x + 2e-5 * rand())));
  const weights = data.weights.slice();
  for (let v = 0; v < V; v++) {
    let sum = 0;
    for (let j = 0; j < J; j++) sum += weights[v * J + j]! *= 1 + 0.01 * rand();
    for (let j = 0; j < J; j++) weights[v * J + j]! /= sum;
  }
  return { ...data, vTemplate, shapedirs, uvs, weights };
}

function encode(data: BodyModelData): Uint8Array {
  const V = data.vTemplate.length / 3;
  const regressor = Array.from({ length: J }, (_, j) => {
    const indices: number[] = [], weights: number[] = [];
    for (let v = 0; v < V; v++) if (data.jRegressor[j * V + v] !== 0) { indices.push(v); weights.push(data.jRegressor[j * V + v]!); }
    return { indices, weights };
  });
  return encodeDefaultBody({ ...data, uvs: data.uvs!, uvFaces: data.uvFaces!, regressor });
}

test('quantising the default body moves vertices and joints by < 0.06 mm, under shapes and poses', async () => {
  const float = offGridBody();
  const decoded = decodeDefaultBody(encode(float));
  assert.deepEqual(decoded.faces, float.faces);
  assert.deepEqual(decoded.uvFaces, float.uvFaces);
  assert.deepEqual(decoded.parents, float.parents);
  const e = await bodyDataError(float, decoded);
  const mm = (x: number) => `${(x * 1000).toFixed(4)} mm`;
  const report = `vertices max ${mm(e.vertexMax)}, mean ${mm(e.vertexMean)}; joints max ${mm(e.jointMax)}; weights ${e.weightMax.toExponential(2)}; uvs ${e.uvMax.toExponential(2)}`;
  assert.ok(e.vertexMax < 6e-5, report);
  assert.ok(e.vertexMean < 2e-5, report);
  assert.ok(e.jointMax < 4e-5, report);
  assert.ok(e.weightMax < 5e-5, report);
  assert.ok(e.uvMax < 7.7e-6, report);
  // The noise really was rounded away (a lossless path would pass the bounds without testing them).
  assert.ok(e.vertexMean > 1e-6, report);
});

test('the quantised asset is a fraction of its float size', () => {
  const data = defaultBodyData();
  const floatBytes = 4 * (data.vTemplate.length + data.uvs!.length + data.shapedirs.length);
  assert.ok(encode(data).length < floatBytes / 2.5, `${encode(data).length} bytes for ${floatBytes} float bytes`);
});
