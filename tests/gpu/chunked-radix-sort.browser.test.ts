/// <reference types="mocha" />
// The chunked radix sort (src/gpu/chunked-radix-sort.ts) against its kernels' twins
// (chunked-radix-sort-twin.ts) and against a stable Array sort.
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createChunkedRadixSorter, type ChunkedRadixSorter } from '../../src/gpu/chunked-radix-sort.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { AvatarInputError } from '../../src/errors.js';
import { CHUNK, RADIX, twinChunkedRadixSort } from './chunked-radix-sort-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function randomKeys(n: number, seed: number, modulo: number): Uint32Array {
  const next = lcg(seed);
  return Uint32Array.from({ length: n }, () => next() % modulo);
}

/** Stable sort of the first n pairs by the low `bits` bits (Array.prototype.sort is stable). */
function stableSort(keys: Uint32Array, values: Uint32Array, n: number, bits: number) {
  const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((keys[a] & mask) >>> 0) - ((keys[b] & mask) >>> 0));
  return { keys: order.map((i) => keys[i]), values: order.map((i) => values[i]) };
}

interface Sorted {
  keys: Uint32Array;
  values: Uint32Array;
  digitOffsets: Uint32Array;
  maxChunks: number;
}

/** Sorts on the GPU with the count on the GPU (gpuCount) or the CPU; returns the whole buffers. */
async function gpuSort(keys: Uint32Array, values: Uint32Array, bits: number, opts: { gpuCount?: number; maxCount?: number } = {}): Promise<Sorted> {
  const device = await getTestDevice();
  const keyBuffer = createBufferFrom(device, keys, USAGE());
  const valueBuffer = createBufferFrom(device, values, USAGE());
  const sorter: ChunkedRadixSorter = createChunkedRadixSorter(device, opts.maxCount ?? keys.length);
  const count = opts.gpuCount === undefined ? keys.length : { buffer: createBufferFrom(device, new Uint32Array([7, 8, opts.gpuCount]), USAGE()), offset: 8 };
  try {
    await expectNoGpuError(device, async () => {
      const encoder = device.createCommandEncoder();
      sorter.encode(encoder, { keys: keyBuffer, values: valueBuffer, count, bits });
      device.queue.submit([encoder.finish()]);
    });
    return {
      keys: new Uint32Array(await readBuffer(device, keyBuffer)),
      values: new Uint32Array(await readBuffer(device, valueBuffer)),
      digitOffsets: new Uint32Array(await readBuffer(device, sorter.digitOffsets)),
      maxChunks: sorter.maxChunks,
    };
  } finally {
    sorter.destroy();
    keyBuffer.destroy();
    valueBuffer.destroy();
  }
}

function expectEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, `${what} length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) expect.fail(`${what}[${i}]: expected ${expected[i]}, got ${actual[i]}`);
  }
}

/** Sorts with the GPU and checks the result and the last pass's digit offsets against the twins and the oracle. */
async function expectLikeTwin(keys: Uint32Array, bits: number, n = keys.length, opts: { gpuCount?: number; maxCount?: number } = {}) {
  const values = Uint32Array.from(keys, (_, i) => 1000 + i);
  const got = await gpuSort(keys, values, bits, opts);
  const twin = twinChunkedRadixSort(keys, values, n, bits);
  const oracle = stableSort(keys, values, n, bits);
  expectEqual(twin.keys, oracle.keys, 'twin keys vs stable sort');
  expectEqual(twin.values, oracle.values, 'twin values vs stable sort');
  expectEqual(got.keys.subarray(0, n), twin.keys, 'keys');
  expectEqual(got.values.subarray(0, n), twin.values, 'values');
  expectEqual(got.keys.subarray(n), keys.subarray(n), 'keys past the count (untouched)');
  expectEqual(got.values.subarray(n), values.subarray(n), 'values past the count (untouched)');
  // The last pass's scan, as count_chunk_digits + scan_chunk_digits left it.
  const chunks = Math.ceil(n / CHUNK);
  for (let d = 0; d < RADIX; d++) {
    expectEqual(got.digitOffsets.subarray(d * got.maxChunks, d * got.maxChunks + chunks), twin.lastScan.offsets[d], `digit ${d} chunk offsets`);
  }
  expectEqual(got.digitOffsets.subarray(RADIX * got.maxChunks, RADIX * got.maxChunks + RADIX), twin.lastScan.bases, 'digit bases');
}

describe('chunked radix sort', () => {
  it('sorts 12-bit keys in 2 passes, count not a multiple of the chunk', async () => {
    await expectLikeTwin(randomKeys(5000, 1, 4096), 12);
  });

  it('sorts by the low bits only, with an odd number of passes (1 and 3)', async () => {
    await expectLikeTwin(randomKeys(3000, 2, 2 ** 32), 5);
    await expectLikeTwin(randomKeys(3000, 3, 2 ** 32), 16);
  });

  it('keeps the input order of equal keys (few distinct keys, all equal)', async () => {
    await expectLikeTwin(randomKeys(4000, 4, 3), 12);
    await expectLikeTwin(new Uint32Array(700).fill(9), 12);
  });

  it('sorts 70 000 keys (547 chunks over 9 workgroups)', async () => {
    await expectLikeTwin(randomKeys(70_000, 5, 4096), 12);
  });

  it('sorts only a GPU-side count smaller than the buffers and leaves the rest untouched', async () => {
    await expectLikeTwin(randomKeys(2000, 6, 4096), 12, 1234, { gpuCount: 1234 });
    await expectLikeTwin(randomKeys(2000, 7, 4096), 12, 0, { gpuCount: 0 });
  });

  it('clamps a GPU-side count larger than maxCount', async () => {
    await expectLikeTwin(randomKeys(1000, 8, 4096), 12, 600, { gpuCount: 5000, maxCount: 600 });
  });

  it('rejects bad input with AvatarInputError', async () => {
    const device = await getTestDevice();
    const sorter = createChunkedRadixSorter(device, 16);
    const keys = device.createBuffer({ size: 64, usage: USAGE() });
    const values = device.createBuffer({ size: 64, usage: USAGE() });
    const encoder = device.createCommandEncoder();
    try {
      expect(() => sorter.encode(encoder, { keys, values, count: 17, bits: 12 })).to.throw(AvatarInputError, /^count:/);
      expect(() => sorter.encode(encoder, { keys, values, count: 4, bits: 0 })).to.throw(AvatarInputError, /^bits:/);
      expect(() => sorter.encode(encoder, { keys, values: keys, count: 4, bits: 12 })).to.throw(AvatarInputError, /^values:/);
      expect(() => createChunkedRadixSorter(device, -1)).to.throw(AvatarInputError, /^maxCount:/);
    } finally {
      sorter.destroy();
      keys.destroy();
      values.destroy();
    }
  });
});
