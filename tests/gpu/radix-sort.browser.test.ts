/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createRadixSorter } from '../../src/gpu/radix-sort.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { AvatarInputError } from '../../src/errors.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** The oracle: Array.prototype.sort (stable) of (key, value) pairs by the key's low `bits` bits. */
function stableSort(keys: Uint32Array, values: Uint32Array, bits: number) {
  const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  const order = Array.from(keys, (_, i) => i).sort((a, b) => ((keys[a] & mask) >>> 0) - ((keys[b] & mask) >>> 0));
  return { keys: Uint32Array.from(order, (i) => keys[i]), values: Uint32Array.from(order, (i) => values[i]) };
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function randomKeys(n: number, seed: number, modulo = 2 ** 32): Uint32Array {
  const next = lcg(seed);
  return Uint32Array.from({ length: n }, () => next() % modulo);
}

const indices = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

async function gpuSort(
  device: GPUDevice, keys: Uint32Array, values: Uint32Array, opts: { bits?: number; gpuCount?: number; maxCount?: number; maxWorkgroupsPerDimension?: number } = {},
) {
  const bits = opts.bits ?? 32;
  const keyBuffer = createBufferFrom(device, keys.length ? keys : new Uint32Array(1), USAGE());
  const valueBuffer = createBufferFrom(device, values.length ? values : new Uint32Array(1), USAGE());
  const sorter = createRadixSorter(device, opts.maxCount ?? keys.length, { maxWorkgroupsPerDimension: opts.maxWorkgroupsPerDimension });
  const count = opts.gpuCount === undefined ? keys.length : { buffer: createBufferFrom(device, new Uint32Array([1, 2, opts.gpuCount]), USAGE()), offset: 8 };
  await expectNoGpuError(device, async () => {
    const encoder = device.createCommandEncoder();
    sorter.encode(encoder, { keys: keyBuffer, values: valueBuffer, count, bits });
    device.queue.submit([encoder.finish()]);
  });
  const result = {
    keys: new Uint32Array(await readBuffer(device, keyBuffer)).subarray(0, keys.length),
    values: new Uint32Array(await readBuffer(device, valueBuffer)).subarray(0, keys.length),
  };
  sorter.destroy();
  keyBuffer.destroy();
  valueBuffer.destroy();
  return result;
}

function expectEqualArrays(actual: Uint32Array, expected: Uint32Array, what: string) {
  expect(actual.length, `${what} length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) expect.fail(`${what}[${i}]: expected ${expected[i]}, got ${actual[i]}`);
  }
}

async function expectSortedLikeOracle(keys: Uint32Array, values: Uint32Array, opts: { bits?: number; maxWorkgroupsPerDimension?: number } = {}) {
  const device = await getTestDevice();
  const got = await gpuSort(device, keys, values, opts);
  const want = stableSort(keys, values, opts.bits ?? 32);
  expectEqualArrays(got.keys, want.keys, 'keys');
  expectEqualArrays(got.values, want.values, 'values');
}

describe('createRadixSorter (stable GPU radix sort)', () => {
  it('sorts random 32-bit keys (count not a multiple of the workgroup size)', async () => {
    await expectSortedLikeOracle(randomKeys(3001, 1), randomKeys(3001, 2));
  });

  it('sorts 70 000 random keys (several blocks, two-level digit scan)', async () => {
    await expectSortedLikeOracle(randomKeys(70_000, 3), indices(70_000));
  });

  it('splits big dispatches over x and y (split limit lowered to 2 workgroups)', async () => {
    // 5 blocks → 2 × 3 workgroups, one past the end; 80 digit counts to scan.
    await expectSortedLikeOracle(randomKeys(5000, 31, 1000), indices(5000), { maxWorkgroupsPerDimension: 2, bits: 12 });
  });

  it('keeps the input order of equal keys (few distinct keys)', async () => {
    await expectSortedLikeOracle(randomKeys(5000, 4, 7), indices(5000));
  });

  it('keeps the input order when all keys are equal', async () => {
    await expectSortedLikeOracle(new Uint32Array(2500).fill(0xabcdef12), indices(2500));
  });

  it('sorts already sorted and reverse sorted keys', async () => {
    const sorted = Uint32Array.from({ length: 2100 }, (_, i) => i * 977);
    await expectSortedLikeOracle(sorted, indices(2100));
    await expectSortedLikeOracle(sorted.slice().reverse(), indices(2100));
  });

  for (const n of [0, 1, 2, 255, 256, 257, 1023, 1024, 1025]) {
    it(`sorts ${n} pairs`, async () => {
      await expectSortedLikeOracle(randomKeys(n, n + 10), indices(n));
    });
  }

  for (const bits of [1, 4, 8, 13, 16, 17, 24, 31]) {
    it(`sorts by the low ${bits} bits only (high bits ignored, ${Math.ceil(bits / 4)} passes)`, async () => {
      await expectSortedLikeOracle(randomKeys(2000, bits), indices(2000), { bits });
    });
  }

  it('sorts only a GPU-side count smaller than the buffers and leaves the rest untouched', async () => {
    const device = await getTestDevice();
    const keys = randomKeys(4000, 11);
    const values = indices(4000);
    for (const bits of [32, 12]) {
      const got = await gpuSort(device, keys, values, { gpuCount: 2345, maxCount: 4000, bits });
      const want = stableSort(keys.subarray(0, 2345), values.subarray(0, 2345), bits);
      expectEqualArrays(got.keys.subarray(0, 2345), want.keys, `keys (bits ${bits})`);
      expectEqualArrays(got.values.subarray(0, 2345), want.values, `values (bits ${bits})`);
      expectEqualArrays(got.keys.subarray(2345), keys.subarray(2345), `keys past count (bits ${bits})`);
      expectEqualArrays(got.values.subarray(2345), values.subarray(2345), `values past count (bits ${bits})`);
    }
  });

  it('clamps a GPU-side count larger than maxCount', async () => {
    const device = await getTestDevice();
    const keys = randomKeys(1500, 12);
    const got = await gpuSort(device, keys, indices(1500), { gpuCount: 99_999, maxCount: 1500 });
    const want = stableSort(keys, indices(1500), 32);
    expectEqualArrays(got.keys, want.keys, 'keys');
    expectEqualArrays(got.values, want.values, 'values');
  });

  it('sorts two buffer pairs with different counts and bits from one encoder', async () => {
    const device = await getTestDevice();
    const sorter = createRadixSorter(device, 3000);
    const ka = randomKeys(3000, 20), kb = randomKeys(1200, 21);
    const [bufKa, bufVa, bufKb, bufVb] = [ka, indices(3000), kb, indices(1200)].map((a) => createBufferFrom(device, a, USAGE()));
    const encoder = device.createCommandEncoder();
    sorter.encode(encoder, { keys: bufKa, values: bufVa, count: 3000, bits: 32 });
    sorter.encode(encoder, { keys: bufKb, values: bufVb, count: 1200, bits: 9 });
    device.queue.submit([encoder.finish()]);
    const wa = stableSort(ka, indices(3000), 32), wb = stableSort(kb, indices(1200), 9);
    expectEqualArrays(new Uint32Array(await readBuffer(device, bufKa)), wa.keys, 'first keys');
    expectEqualArrays(new Uint32Array(await readBuffer(device, bufVa)), wa.values, 'first values');
    expectEqualArrays(new Uint32Array(await readBuffer(device, bufKb)), wb.keys, 'second keys');
    expectEqualArrays(new Uint32Array(await readBuffer(device, bufVb)), wb.values, 'second values');
    sorter.destroy();
  });

  it('rejects bad input with AvatarInputError and stays usable', async () => {
    const device = await getTestDevice();
    const sorter = createRadixSorter(device, 100);
    const keys = device.createBuffer({ size: 400, usage: USAGE() });
    const values = device.createBuffer({ size: 400, usage: USAGE() });
    const small = device.createBuffer({ size: 40, usage: USAGE() });
    const copyOnly = device.createBuffer({ size: 400, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    const bad: [string, () => void, RegExp][] = [
      ['count > maxCount', () => sorter.encode(encoder, { keys, values, count: 101, bits: 32 }), /count: expected an integer in 0…100, got number 101/],
      ['fractional count', () => sorter.encode(encoder, { keys, values, count: 2.5, bits: 32 }), /count/],
      ['bits 0', () => sorter.encode(encoder, { keys, values, count: 10, bits: 0 }), /bits: expected an integer in 1…32, got number 0/],
      ['bits 33', () => sorter.encode(encoder, { keys, values, count: 10, bits: 33 }), /bits: expected an integer in 1…32/],
      ['bits NaN', () => sorter.encode(encoder, { keys, values, count: 10, bits: NaN }), /bits/],
      ['keys too small', () => sorter.encode(encoder, { keys: small, values, count: 50, bits: 32 }), /keys: expected a buffer of at least 200 bytes/],
      ['values too small', () => sorter.encode(encoder, { keys, values: small, count: 50, bits: 32 }), /values: expected a buffer of at least 200 bytes/],
      ['missing STORAGE usage', () => sorter.encode(encoder, { keys, values: copyOnly, count: 5, bits: 32 }), /values: expected a buffer with STORAGE usage/],
      ['not a buffer', () => sorter.encode(encoder, { keys: new Uint32Array(4) as unknown as GPUBuffer, values, count: 5, bits: 32 }), /keys: expected a GPUBuffer, got Uint32Array\(4\)/],
      ['aliasing', () => sorter.encode(encoder, { keys, values: keys, count: 5, bits: 32 }), /values: expected a buffer other than keys/],
      ['GPU count offset past end', () => sorter.encode(encoder, { keys, values, count: { buffer: small, offset: 40 }, bits: 32 }), /count.offset/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(AvatarInputError, message);
    expect(() => createRadixSorter(device, -1)).to.throw(AvatarInputError, /maxCount/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    sorter.destroy();
    await expectSortedLikeOracle(randomKeys(100, 5), indices(100));
  });
});
