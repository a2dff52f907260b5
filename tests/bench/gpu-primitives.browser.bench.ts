/// <reference types="mocha" />
/**
 * GPU primitives speed: prefix sum, radix sort (32- and 16-bit keys, CPU and GPU-side counts)
 * and Gaussian skinning forward/backward. Wall clock per call (median of several submits, each
 * awaited with onSubmittedWorkDone), printed as a table with the adapter name. Never asserts speed.
 */
import { getTestDevice } from '../helpers/gpu-device.js';
import { adapterName, medianMs } from './bench-helpers.js';
import { createPrefixSum } from '../../src/gpu/prefix-sum.js';
import { createRadixSorter } from '../../src/gpu/radix-sort.js';
import { createBufferFrom } from '../../src/gpu/buffers.js';
import { createGaussianSkinner } from '../../src/render/gaussian-skinning.js';
import { makeSkinningFixture, seededRandom } from '../render/skinning-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

describe('GPU primitives benchmark', () => {
  it('prints scan, sort and skinning throughput', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    // SwiftShader is a CPU rasteriser: keep its sizes small enough to finish in seconds.
    const slow = /swiftshader/i.test(name);
    const sizes = slow ? [16_384, 131_072] : [131_072, 1_048_576, 4_194_304];
    const runs = slow ? 3 : 10;
    const rows: string[] = [];
    const row = (op: string, n: number, ms: number) => rows.push(`| ${op} | ${n.toLocaleString('en-US')} | ${ms.toFixed(3)} | ${(n / ms / 1e3).toFixed(1)} |`);

    for (const n of sizes) {
      const rand = seededRandom(n);
      const keys = Uint32Array.from({ length: n }, () => Math.floor(rand() * 2 ** 32));
      const values = Uint32Array.from({ length: n }, (_, i) => i);
      const keyBuffer = createBufferFrom(device, keys, USAGE());
      const valueBuffer = createBufferFrom(device, values, USAGE());
      const scanOut = device.createBuffer({ size: 4 * n, usage: USAGE() });
      const total = device.createBuffer({ size: 4, usage: USAGE() });
      const gpuCount = createBufferFrom(device, new Uint32Array([n]), USAGE());
      const scan = createPrefixSum(device, n);
      const sorter = createRadixSorter(device, n);

      row('prefix sum (u32)', n, await medianMs(device, runs, (e) => scan.encode(e, { input: valueBuffer, output: scanOut, count: n, totalBuffer: total })));
      // Re-sorting sorted data costs the same as sorting random data for an LSD radix sort.
      row('radix sort 32-bit keys', n, await medianMs(device, runs, (e) => sorter.encode(e, { keys: keyBuffer, values: valueBuffer, count: n, bits: 32 })));
      row('radix sort 16-bit keys', n, await medianMs(device, runs, (e) => sorter.encode(e, { keys: keyBuffer, values: valueBuffer, count: n, bits: 16 })));
      row('radix sort 32-bit, GPU-side count', n, await medianMs(device, runs, (e) => sorter.encode(e, { keys: keyBuffer, values: valueBuffer, count: { buffer: gpuCount, offset: 0 }, bits: 32 })));

      scan.destroy();
      sorter.destroy();
      for (const b of [keyBuffer, valueBuffer, scanOut, total, gpuCount]) b.destroy();
    }

    const numJoints = 24;
    for (const n of slow ? [16_384, 65_536] : [65_536, 262_144]) {
      const fx = makeSkinningFixture(n, numJoints, n);
      const [canonical, weights, transforms, gradPosed] = [fx.canonical, fx.weights, fx.transforms, fx.gradPosed].map((a) => createBufferFrom(device, a, USAGE()));
      const posed = device.createBuffer({ size: 12 * n, usage: USAGE() });
      const gradCanonical = device.createBuffer({ size: 12 * n, usage: USAGE() });
      const gradTransforms = device.createBuffer({ size: 64 * numJoints, usage: USAGE() });
      const skinner = createGaussianSkinner(device, { maxGaussians: n, maxJoints: numJoints });
      row(`skinning forward (J = ${numJoints})`, n, await medianMs(device, runs, (e) => skinner.encodeForward(e, { canonical, weights, transforms, posed, count: n, numJoints })));
      row(`skinning backward (J = ${numJoints})`, n, await medianMs(device, runs, (e) =>
        skinner.encodeBackward(e, { canonical, weights, transforms, gradPosed, gradCanonical, gradTransforms, count: n, numJoints })));
      skinner.destroy();
      for (const b of [canonical, weights, transforms, gradPosed, posed, gradCanonical, gradTransforms]) b.destroy();
    }

    console.log([
      `GPU primitives — ${name} (${navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'browser'}); wall clock per call incl. submit, median of ${runs}`,
      '| operation | N | ms | M items/s |',
      '|---|---:|---:|---:|',
      ...rows,
    ].join('\n'));
  });
});
