import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNpy } from '../../src/io/npy.js';
import { writeNpy } from '../../src/io/npy-write.js';
import { AvatarInputError } from '../../src/errors.js';
import { writeNpy as helperWriteNpy } from '../helpers/npz-writer.js';

describe('writeNpy', () => {
  const cases = [
    { data: new Float32Array([1.5, -0, NaN, Infinity, 1e-40, 3.4e38]), shape: [2, 3], dtype: '<f4' },
    { data: new Uint32Array([0, 1, 0xffffffff, 7]), shape: [4], dtype: '<u4' },
    { data: new Int32Array([-1, 2, -2147483648, 5, 6, 7, 8, 9]), shape: [2, 2, 2], dtype: '<i4' },
    { data: new Float32Array([42]), shape: [], dtype: '<f4' },
    { data: new Float32Array(0), shape: [0, 5], dtype: '<f4' },
    { data: new Uint32Array(0), shape: [0], dtype: '<u4' },
  ] as const;

  it('writes the bytes numpy.save writes (same as the independent test-helper writer)', () => {
    for (const { data, shape, dtype } of cases) {
      const ours = writeNpy(data, [...shape]);
      const theirs = helperWriteNpy({ dtype, shape: [...shape], values: Array.from(data as ArrayLike<number>) });
      assert.deepEqual(ours, theirs, `${dtype} (${shape.join(', ')})`);
      assert.equal((10 + (ours[8]! | (ours[9]! << 8))) % 64, 0, 'header padded to a multiple of 64 bytes');
    }
  });

  it('round-trips through parseNpy bit-exactly, views with an offset included', () => {
    for (const { data, shape, dtype } of cases) {
      const npy = parseNpy(writeNpy(data, [...shape]));
      assert.equal(npy.dtype, dtype);
      assert.deepEqual(npy.shape, [...shape]);
      assert.equal(npy.fortranOrder, false);
      assert.deepEqual(new Uint8Array((npy.data as Float32Array).buffer), new Uint8Array(data.buffer));
    }
    const big = new Float32Array([9, 8, 7, 6, 5]);
    const view = big.subarray(2, 4);
    assert.deepEqual(Array.from(parseNpy(writeNpy(view, [2])).data as Float32Array), [7, 6]);
  });

  it('refuses a shape that does not match, or an unsupported array type, with AvatarInputError', () => {
    assert.throws(() => writeNpy(new Float32Array(5), [2, 3], 'positions'), (e: unknown) => e instanceof AvatarInputError && /^positions: shape \(2, 3\) holds 6 elements, the array has 5/.test((e as Error).message));
    assert.throws(() => writeNpy(new Float32Array(2), [-2, -1]), AvatarInputError);
    assert.throws(() => writeNpy(new Float32Array(2), [2.5]), AvatarInputError);
    assert.throws(() => writeNpy(new Float64Array(2) as unknown as Float32Array, [2]), (e: unknown) => e instanceof AvatarInputError && /got Float64Array\(2\)/.test((e as Error).message));
  });
});
