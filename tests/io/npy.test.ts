import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNpy } from '../../src/io/npy.js';
import { npyDataInCOrder, npyToFloat32, npyToFloat64, npyToIntegers, requireNpyShape } from '../../src/io/npy-arrays.js';
import { AvatarFormatError } from '../../src/errors.js';
import { writeNpy, type NpySpec } from '../helpers/npz-writer.js';

// Values (C order) for each dtype, chosen to be exactly representable and to use the dtype's range.
function valuesFor(kind: string, size: number, n: number): (number | bigint | boolean | string)[] {
  const out: (number | bigint | boolean | string)[] = [];
  for (let i = 0; i < n; i++) {
    if (kind === 'f') out.push(size === 2 ? (i - 3) * 0.5 : size === 4 ? (i - 5) * 0.375 + 1e-3 * i : (i - 7) / 3);
    else if (kind === 'i') out.push(size === 8 ? BigInt(i - 4) * 1234567890123n : i % 2 ? -(2 ** (8 * size - 1)) + i : 2 ** (8 * size - 1) - 1 - i);
    else if (kind === 'u') out.push(size === 8 ? 18446744073709551615n - BigInt(i) : 2 ** (8 * size) - 1 - i);
    else if (kind === 'b') out.push(i % 3 === 0);
    else if (kind === 'U') out.push(['', 'a', 'ünï', '😀x', 'female', 'z'][i % 6]);
    else out.push(['', 'ab', 'xyz', 'm\xffq'][i % 4]);
  }
  return out;
}

/** What the reader should give back for a written value (f4 rounding, bools as 0/1). */
function expected(kind: string, size: number, v: number | bigint | boolean | string): number | bigint | string {
  if (kind === 'f' && size === 4) return Math.fround(v as number);
  if (kind === 'b') return v ? 1 : 0;
  return v as number | bigint | string;
}

const dtypes = ['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1', 'U6', 'S4'];
const shapes = [[], [0], [7], [3, 4], [2, 3, 4], [2, 1, 3, 2]];

test('every dtype × endianness × order × version × shape round-trips exactly', () => {
  let cases = 0;
  for (const dt of dtypes) {
    const kind = dt[0];
    const size = Number(dt.slice(1));
    const orders = size === 1 && kind !== 'U' ? ['|'] : ['<', '>'];
    for (const order of orders) {
      for (const fortranOrder of [false, true]) {
        for (const version of [1, 2, 3] as const) {
          for (const shape of shapes) {
            const n = shape.reduce((a, b) => a * b, 1);
            const spec: NpySpec = { dtype: order + dt, shape, values: valuesFor(kind, size, n), fortranOrder, version };
            const arr = parseNpy(writeNpy(spec), 'case');
            assert.equal(arr.dtype, spec.dtype);
            assert.deepEqual(arr.shape, shape);
            assert.equal(arr.fortranOrder, fortranOrder);
            const c = Array.from(npyDataInCOrder(arr) as ArrayLike<unknown>);
            assert.deepEqual(c, Array.from(spec.values, (v) => expected(kind, size, v)), `${spec.dtype} ${shape} F=${fortranOrder} v${version}`);
            cases++;
          }
        }
      }
    }
  }
  assert.ok(cases > 700, `ran ${cases} cases`);
});

test('Fortran-order data is really stored transposed and reordered on read', () => {
  const values = Array.from({ length: 6 }, (_, i) => i);
  const bytes = writeNpy({ dtype: '<f8', shape: [2, 3], values, fortranOrder: true });
  const arr = parseNpy(bytes);
  // File order of a 2×3 Fortran array: column by column.
  assert.deepEqual(Array.from(arr.data as Float64Array), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(Array.from(npyToFloat64(arr, 'x')), values);
});

test('conversion helpers: float32, integers, finiteness, strings refused', () => {
  const f = parseNpy(writeNpy({ dtype: '>i8', shape: [2, 2], values: [1n, -2n, 4294967295n, 7n], fortranOrder: true }));
  assert.deepEqual(Array.from(f.data as BigInt64Array), [1n, 4294967295n, -2n, 7n]); // file (column) order
  assert.deepEqual(Array.from(npyToIntegers(f, 'k')), [1, -2, 4294967295, 7]);
  assert.deepEqual(Array.from(npyToFloat32(f, 'k')), [1, -2, 4294967296, 7]);
  const nan = parseNpy(writeNpy({ dtype: '<f4', shape: [3], values: [1, NaN, 2] }));
  assert.throws(() => npyToFloat32(nan, 'v_template'), (e: Error) => e instanceof AvatarFormatError && /v_template: .*element 1 is NaN/.test(e.message));
  assert.deepEqual(Array.from(npyToFloat32(nan, 'x', { finite: false })).map(String), ['1', 'NaN', '2']);
  const big = parseNpy(writeNpy({ dtype: '<f8', shape: [1], values: [1e300] }));
  assert.throws(() => npyToFloat32(big, 'w'), AvatarFormatError);
  const half = parseNpy(writeNpy({ dtype: '<f8', shape: [2], values: [0.5, 2] }));
  assert.throws(() => npyToIntegers(half, 'f'), (e: Error) => e instanceof AvatarFormatError && /f: expected integers/.test(e.message));
  const poses = parseNpy(writeNpy({ dtype: '<f8', shape: [2, 3], values: [1, 2, 3, 4, 5, 6], fortranOrder: true }));
  assert.deepEqual(Array.from(npyToFloat32(poses, 'poses', { shape: [null, 3] })), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => npyToFloat32(poses, 'poses', { shape: [null, 72] }), (e: Error) => e instanceof AvatarFormatError && e.message === 'poses: expected N×72, got 2×3 <f8');
  assert.throws(() => requireNpyShape(poses, 'fps', []), (e: Error) => e instanceof AvatarFormatError && e.message === 'fps: expected a scalar, got 2×3 <f8');
  requireNpyShape(poses, 'poses', [2, 3]);
  const str = parseNpy(writeNpy({ dtype: '<U3', shape: [1], values: ['abc'] }));
  assert.throws(() => npyToFloat32(str, 'weights'), (e: Error) => e instanceof AvatarFormatError && /weights: .*<U3/.test(e.message));
});

test('Python 2 style headers (6890L) and double-quoted strings parse', () => {
  const good = writeNpy({ dtype: '<f4', shape: [2, 3], values: [0, 1, 2, 3, 4, 5] });
  const text = new TextDecoder('latin1').decode(good.subarray(10, 10 + new DataView(good.buffer).getUint16(8, true)));
  const edited = text.replace("'shape': (2, 3)", "'shape': (2L, 3L)").replace("'descr': '<f4'", '"descr": "<f4"');
  const bytes = withHeader(good, edited);
  const arr = parseNpy(bytes);
  assert.deepEqual(arr.shape, [2, 3]);
  assert.deepEqual(Array.from(arr.data as Float32Array), [0, 1, 2, 3, 4, 5]);
});

/** Replaces a v1 file's header text, keeping the data. */
function withHeader(npy: Uint8Array, header: string): Uint8Array {
  const oldLen = new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + h.length + npy.length - 10 - oldLen);
  out.set(npy.subarray(0, 8));
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, 10);
  out.set(npy.subarray(10 + oldLen), 10 + h.length);
  return out;
}

test('malformed headers and unsupported dtypes give AvatarFormatError naming the label', () => {
  const good = writeNpy({ dtype: '<f4', shape: [2, 3], values: [0, 1, 2, 3, 4, 5] });
  const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const bad: [string, Uint8Array][] = [
    ['huge shape', withHeader(good, header.replace('(2, 3)', '(1000000, 1000000)'))],
    ['shape beyond 2^53', withHeader(good, header.replace('(2, 3)', '(99999999999999999999, 3)'))],
    ['negative dim', withHeader(good, header.replace('(2, 3)', '(-2, -3)'))],
    ['too few elements', withHeader(good, header.replace('(2, 3)', '(2, 2)'))],
    ['object dtype', withHeader(good, header.replace('<f4', '|O'))],
    ['complex dtype', withHeader(good, header.replace('<f4', '<c8'))],
    ['f16 dtype', withHeader(good, header.replace('<f4', '<f16'))],
    ['zero-length strings', withHeader(good, header.replace('<f4', '<U0').replace('(2, 3)', '(100000000000,)'))],
    ['structured dtype', withHeader(good, header.replace("'<f4'", "[('a', '<f4')]"))],
    ['missing shape', withHeader(good, "{'descr': '<f4', 'fortran_order': False}")],
    ['fortran not bool', withHeader(good, header.replace('False', '0'))],
    ['not a dict', withHeader(good, '(1, 2)')],
    ['unterminated', withHeader(good, "{'descr': '<f4")],
    ['deep nesting', withHeader(good, `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(5000)}}`)],
    ['bad magic', Uint8Array.from(good, (b, i) => (i === 1 ? 0 : b))],
    ['version 4', Uint8Array.from(good, (b, i) => (i === 6 ? 4 : b))],
    ['header length past end', Uint8Array.from(good, (b, i) => (i === 9 ? 0xff : b))],
    ['truncated', good.subarray(0, 9)],
    ['empty', new Uint8Array(0)],
  ];
  for (const [what, bytes] of bad) {
    const t0 = performance.now();
    assert.throws(() => parseNpy(bytes, 'posedirs'), (e: Error) => e instanceof AvatarFormatError && e.message.startsWith('posedirs: '), what);
    assert.ok(performance.now() - t0 < 200, `${what} took too long`);
  }
});
