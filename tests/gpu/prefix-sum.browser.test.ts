/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createPrefixSum } from '../../src/gpu/prefix-sum.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { AvatarInputError } from '../../src/errors.js';

const STORAGE_RW = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** The oracle: a plain loop, wrapping modulo 2³² like u32 arithmetic. */
function exclusiveScan(values: Uint32Array): { scan: Uint32Array; total: number } {
  const scan = new Uint32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    scan[i] = sum;
    sum = (sum + values[i]) >>> 0;
  }
  return { scan, total: sum };
}

function randomU32(n: number, max: number, seed: number): Uint32Array {
  let s = seed >>> 0;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.floor((s / 2 ** 32) * max);
  }
  return out;
}

const SENTINEL = 0xdeadbeef;

async function runScan(
  device: GPUDevice, values: Uint32Array, opts: { maxCount?: number; gpuCount?: number; totalOffset?: number; padding?: number; maxWorkgroupsPerDimension?: number } = {},
) {
  const padding = opts.padding ?? 0;
  const n = values.length;
  const input = createBufferFrom(device, values.length ? values : new Uint32Array(1), STORAGE_RW());
  // Output pre-filled with a sentinel so writes past `count` are caught.
  const output = createBufferFrom(device, new Uint32Array(Math.max(1, n + padding)).fill(SENTINEL), STORAGE_RW());
  const totalOffset = opts.totalOffset ?? 0;
  const totalBuffer = createBufferFrom(device, new Uint32Array(totalOffset / 4 + 2).fill(SENTINEL), STORAGE_RW());
  const scan = createPrefixSum(device, opts.maxCount ?? Math.max(n, 1), { maxWorkgroupsPerDimension: opts.maxWorkgroupsPerDimension });
  let countArg: number | { buffer: GPUBuffer; offset: number } = n;
  if (opts.gpuCount !== undefined) countArg = { buffer: createBufferFrom(device, new Uint32Array([7, opts.gpuCount]), STORAGE_RW()), offset: 4 };
  await expectNoGpuError(device, async () => {
    const encoder = device.createCommandEncoder();
    scan.encode(encoder, { input, output, count: countArg, totalBuffer, totalOffset });
    device.queue.submit([encoder.finish()]);
  });
  const out = new Uint32Array(await readBuffer(device, output));
  const totals = new Uint32Array(await readBuffer(device, totalBuffer));
  scan.destroy();
  for (const b of [input, output, totalBuffer]) b.destroy();
  return { out, total: totals[totalOffset / 4], totals };
}

function expectEqualArrays(actual: Uint32Array, expected: Uint32Array, what: string) {
  expect(actual.length, `${what} length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) expect.fail(`${what}[${i}]: expected ${expected[i]}, got ${actual[i]}`);
  }
}

describe('createPrefixSum (GPU exclusive scan)', () => {
  for (const n of [0, 1, 255, 256, 257, 1023, 1024, 1025, 100_000]) {
    it(`matches a plain loop for ${n} elements`, async () => {
      const device = await getTestDevice();
      const values = randomU32(n, 1000, n + 1);
      const { out, total } = await runScan(device, values, { padding: 3 });
      const expected = exclusiveScan(values);
      expectEqualArrays(out.subarray(0, n), expected.scan, 'output');
      expect(total).to.equal(expected.total);
      for (let i = n; i < out.length; i++) expect(out[i], `output[${i}] past count`).to.equal(SENTINEL);
    });
  }

  it('splits big dispatches over x and y (split limit lowered to 3 workgroups)', async () => {
    const device = await getTestDevice();
    // 10 blocks → 3 × 4 workgroups, two of them past the end; the second level has 10 elements.
    const values = randomU32(10_000, 1000, 77);
    const { out, total } = await runScan(device, values, { maxWorkgroupsPerDimension: 3 });
    const expected = exclusiveScan(values);
    expectEqualArrays(out, expected.scan, 'output');
    expect(total).to.equal(expected.total);
  });

  it('wraps modulo 2³² like u32 addition', async () => {
    const device = await getTestDevice();
    const values = randomU32(3000, 2 ** 32, 99);
    const { out, total } = await runScan(device, values);
    const expected = exclusiveScan(values);
    expectEqualArrays(out, expected.scan, 'output');
    expect(total).to.equal(expected.total);
  });

  it('reads a GPU-side count smaller than the buffers and leaves the rest untouched', async () => {
    const device = await getTestDevice();
    const values = randomU32(5000, 50, 7);
    const { out, total } = await runScan(device, values, { gpuCount: 2049, maxCount: 5000 });
    const expected = exclusiveScan(values.subarray(0, 2049));
    expectEqualArrays(out.subarray(0, 2049), expected.scan, 'output');
    expect(total).to.equal(expected.total);
    for (let i = 2049; i < 5000; i++) expect(out[i]).to.equal(SENTINEL);
  });

  it('clamps a GPU-side count larger than maxCount', async () => {
    const device = await getTestDevice();
    const values = randomU32(600, 50, 8);
    const { out, total } = await runScan(device, values, { gpuCount: 1_000_000, maxCount: 600 });
    const expected = exclusiveScan(values);
    expectEqualArrays(out, expected.scan, 'output');
    expect(total).to.equal(expected.total);
  });

  it('writes the total at totalOffset only', async () => {
    const device = await getTestDevice();
    const values = randomU32(300, 50, 9);
    const { totals, total } = await runScan(device, values, { totalOffset: 20 });
    expect(total).to.equal(exclusiveScan(values).total);
    for (let i = 0; i < totals.length; i++) if (i !== 5) expect(totals[i]).to.equal(SENTINEL);
  });

  it('writes the total into the output buffer after the scan (output of count + 1 words)', async () => {
    const device = await getTestDevice();
    const values = randomU32(1500, 100, 12);
    const input = createBufferFrom(device, values, STORAGE_RW());
    const output = device.createBuffer({ size: 4 * 1501, usage: STORAGE_RW() });
    // The GPU count shares a buffer with nothing else; the total goes to output[1500].
    const count = { buffer: createBufferFrom(device, new Uint32Array([1500]), STORAGE_RW()), offset: 0 };
    const scan = createPrefixSum(device, 1500);
    await expectNoGpuError(device, async () => {
      const encoder = device.createCommandEncoder();
      scan.encode(encoder, { input, output, count, totalBuffer: output, totalOffset: 4 * 1500 });
      device.queue.submit([encoder.finish()]);
    });
    const out = new Uint32Array(await readBuffer(device, output));
    const expected = exclusiveScan(values);
    expectEqualArrays(out.subarray(0, 1500), expected.scan, 'output');
    expect(out[1500]).to.equal(expected.total);
    scan.destroy();
  });

  it('scans a second time with a different count from the same encoder', async () => {
    const device = await getTestDevice();
    const values = randomU32(2000, 100, 10);
    const input = createBufferFrom(device, values, STORAGE_RW());
    const outA = device.createBuffer({ size: 8000, usage: STORAGE_RW() });
    const outB = device.createBuffer({ size: 8000, usage: STORAGE_RW() });
    const totals = device.createBuffer({ size: 8, usage: STORAGE_RW() });
    const scan = createPrefixSum(device, 2000);
    const encoder = device.createCommandEncoder();
    scan.encode(encoder, { input, output: outA, count: 2000, totalBuffer: totals, totalOffset: 0 });
    scan.encode(encoder, { input, output: outB, count: 1500, totalBuffer: totals, totalOffset: 4 });
    device.queue.submit([encoder.finish()]);
    const a = new Uint32Array(await readBuffer(device, outA));
    const b = new Uint32Array(await readBuffer(device, outB, 6000));
    const t = new Uint32Array(await readBuffer(device, totals));
    expectEqualArrays(a, exclusiveScan(values).scan, 'first scan');
    expectEqualArrays(b, exclusiveScan(values.subarray(0, 1500)).scan, 'second scan');
    expect([...t]).to.deep.equal([exclusiveScan(values).total, exclusiveScan(values.subarray(0, 1500)).total]);
    scan.destroy();
  });

  it('rejects bad input with AvatarInputError and stays usable', async () => {
    const device = await getTestDevice();
    const scan = createPrefixSum(device, 100);
    const buf = device.createBuffer({ size: 400, usage: STORAGE_RW() });
    const other = device.createBuffer({ size: 400, usage: STORAGE_RW() });
    const small = device.createBuffer({ size: 40, usage: STORAGE_RW() });
    const noStorage = device.createBuffer({ size: 400, usage: GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    const bad: [string, () => void, RegExp][] = [
      ['count > maxCount', () => scan.encode(encoder, { input: buf, output: other, count: 101, totalBuffer: small }), /count: expected an integer in 0…100/],
      ['negative count', () => scan.encode(encoder, { input: buf, output: other, count: -1, totalBuffer: small }), /count/],
      ['NaN count', () => scan.encode(encoder, { input: buf, output: other, count: NaN, totalBuffer: small }), /count/],
      ['input too small', () => scan.encode(encoder, { input: small, output: other, count: 50, totalBuffer: small }), /input: expected a buffer of at least 200 bytes/],
      ['aliasing', () => scan.encode(encoder, { input: buf, output: buf, count: 5, totalBuffer: small }), /output: expected a buffer other than input/],
      ['no STORAGE usage', () => scan.encode(encoder, { input: noStorage, output: other, count: 5, totalBuffer: small }), /input: expected a buffer with STORAGE usage/],
      ['misaligned totalOffset', () => scan.encode(encoder, { input: buf, output: other, count: 5, totalBuffer: small, totalOffset: 3 }), /totalOffset/],
      ['totalOffset past end', () => scan.encode(encoder, { input: buf, output: other, count: 5, totalBuffer: small, totalOffset: 40 }), /totalOffset/],
      ['misaligned GPU count offset', () => scan.encode(encoder, { input: buf, output: other, count: { buffer: small, offset: 2 }, totalBuffer: small }), /count.offset/],
    ];
    for (const [what, call, message] of bad) {
      expect(call, what).to.throw(AvatarInputError, message);
    }
    expect(() => createPrefixSum(device, -5)).to.throw(AvatarInputError, /maxCount/);
    expect(() => createPrefixSum(device, 1.5)).to.throw(AvatarInputError, /maxCount/);
    expect(() => createPrefixSum(device, 10, { maxWorkgroupsPerDimension: 0 })).to.throw(AvatarInputError, /maxWorkgroupsPerDimension: expected an integer in 1…/);
    // The encoder was never touched by the refused calls: it still finishes and a valid scan works.
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    scan.destroy();
    const values = randomU32(100, 9, 3);
    const { out } = await runScan(device, values);
    expectEqualArrays(out, exclusiveScan(values).scan, 'output after refusals');
  });
});
