// sparseSkinningWeights (src/render/sparse-weights.ts): the packing the sparse skinning kernel reads (node, no GPU).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparseSkinningWeights } from '../../src/render/sparse-weights.js';

test('sparseSkinningWeights keeps each row\'s nonzero weights in joint order, packs the joints as bytes, pads with zeros', () => {
  const J = 24;
  const dense = new Float32Array(2 * J);
  [[0, 3, 0.5], [0, 1, 0.25], [0, 23, 0.25], [1, 7, 1]].forEach(([i, j, w]) => (dense[i * J + j] = w));
  const sparse = sparseSkinningWeights(dense, 2, J)!;
  assert.deepEqual(Array.from(sparse.weights), [0.25, 0.5, 0.25, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(sparse.joints), [1 | (3 << 8) | (23 << 16), 0, 7, 0]);
});

test('sparseSkinningWeights packs slots 4…7 into the second word and refuses rows with more than 8 joints or J > 256', () => {
  const J = 30;
  const nine = new Float32Array(J);
  for (let j = 0; j < 9; j++) nine[3 * j] = 1 / 9;
  assert.equal(sparseSkinningWeights(nine, 1, J), undefined);
  const eight = nine.slice();
  eight[24] = 0;
  const sparse = sparseSkinningWeights(eight, 1, J)!;
  assert.deepEqual(Array.from(sparse.joints), [0 | (3 << 8) | (6 << 16) | (9 << 24), 12 | (15 << 8) | (18 << 16) | (21 << 24)]);
  assert.equal(sparseSkinningWeights(new Float32Array(257).fill(0), 1, 257), undefined);
});
