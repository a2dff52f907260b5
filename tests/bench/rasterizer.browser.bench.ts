/// <reference types="mocha" />
/**
 * Splat rasterizer speed: forward and forward+backward per frame through the GPU-buffer entry
 * points (no readback), wall clock = median over several submits awaited with
 * onSubmittedWorkDone, plus a per-stage breakdown from timestamp queries where the adapter has
 * them. Printed as a table with the adapter name; never asserts speed.
 *
 * Sizes: edit CASES below. Cases marked `gpuOnly` are printed as "skipped on CPU adapter" when
 * the adapter is SwiftShader (a CPU implementation), so the default run stays within minutes.
 */
import { getTestDevice } from '../helpers/gpu-device.js';
import { isCpuAdapter } from '../../src/gpu/adapter-kind.js';
import { adapterName, medianMs } from './bench-helpers.js';
import { createSplatRasterizer, type StageTiming } from '../../src/render/splat-rasterizer.js';
import { makeCamera, makeRng, unproject } from '../render/splat-fixtures.js';

interface BenchCase {
  count: number;
  width: number;
  height: number;
  gpuOnly: boolean;
}

const CASES: BenchCase[] = [
  { count: 10_000, width: 256, height: 256, gpuOnly: false },
  { count: 10_000, width: 512, height: 512, gpuOnly: false },
  { count: 100_000, width: 512, height: 512, gpuOnly: true },
  { count: 10_000, width: 1920, height: 1080, gpuOnly: true },
  { count: 100_000, width: 1920, height: 1080, gpuOnly: true },
];

/** An avatar-like cloud: centres spread over the middle of the view at depth 2.5–3.5, σ ≈ 1–3 px. */
function makeBuffers(device: GPUDevice, c: BenchCase) {
  const camera = makeCamera(c.width, c.height);
  const rng = makeRng(c.count + c.width);
  const means = new Float32Array(3 * c.count);
  const scales = new Float32Array(c.count);
  const colors = new Float32Array(3 * c.count);
  const pxToWorld = 3 / camera.K[0];
  for (let i = 0; i < c.count; i++) {
    means.set(unproject(camera, (0.25 + 0.5 * rng()) * c.width, (0.1 + 0.8 * rng()) * c.height, 2.5 + rng()), 3 * i);
    scales[i] = (1 + 2 * rng()) * pxToWorld;
    colors.set([rng(), rng(), rng()], 3 * i);
  }
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const upload = (data: Float32Array) => {
    const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage });
    device.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    return b;
  };
  const rng2 = makeRng(7);
  const gradImage = upload(Float32Array.from({ length: c.width * c.height * 3 }, () => rng2() - 0.5));
  const out = (bytes: number) => device.createBuffer({ size: Math.max(16, bytes), usage: GPUBufferUsage.STORAGE });
  return {
    camera,
    scene: { means: upload(means), scales: upload(scales), colors: upload(colors), count: c.count },
    grads: { gradImage, gradMeans: out(12 * c.count), gradScales: out(4 * c.count), gradColors: out(12 * c.count), gradOpacities: out(4 * c.count) },
  };
}

const fmt = (ms: number) => ms.toFixed(2);

describe('splat rasterizer benchmark', () => {
  it('prints forward and forward+backward time per frame', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    const cpuAdapter = isCpuAdapter(device);
    const profile = device.features.has('timestamp-query');
    const runs = cpuAdapter ? 3 : 10;
    const rows: string[] = [];
    const stageRows: string[] = [];
    let paths = '';
    for (const c of CASES) {
      const label = `${c.count.toLocaleString('en-US')} | ${c.width}×${c.height}`;
      if (c.gpuOnly && cpuAdapter) {
        rows.push(`| ${label} | skipped on CPU adapter | skipped on CPU adapter | – |`);
        continue;
      }
      const { camera, scene, grads } = makeBuffers(device, c);
      const r = createSplatRasterizer(device, { width: c.width, height: c.height, maxGaussians: c.count, profile });
      paths = `forward shared batch ${r.sharedBatch}, backward ${r.usesSubgroups ? 'subgroups' : 'portable (no subgroups)'}`;
      // One forward through the convenience path sizes the intersection list for this frame.
      const fit = device.createCommandEncoder();
      r.encodeForward(fit, { ...scene, camera });
      device.queue.submit([fit.finish()]);
      let { total } = await r.readIntersectionCount();
      if (total > r.maxIntersections) {
        r.destroy();
        rows.push(`| ${label} | intersection list too small (${total} > default capacity) | – | – |`);
        continue;
      }
      const forward = await medianMs(device, runs, (e) => r.encodeForward(e, { ...scene, camera }));
      const both = await medianMs(device, runs, (e) => {
        r.encodeForward(e, { ...scene, camera });
        r.encodeBackward(e, { ...scene, ...grads });
      });
      ({ total } = await r.readIntersectionCount());
      rows.push(`| ${label} | ${fmt(forward)} | ${fmt(both)} | ${total.toLocaleString('en-US')} |`);
      if (profile) {
        const stages: StageTiming[] = await r.readProfile();
        stageRows.push(`| ${label} | ${stages.map((s) => `${s.stage} ${fmt(s.ms)}`).join(', ')} |`);
      }
      r.destroy();
      for (const b of [...Object.values(grads), scene.means, scene.scales, scene.colors]) b.destroy();
    }
    console.log(
      [
        `Splat rasterizer on ${name} (median of ${runs} frames, wall clock incl. submit; ${paths})`,
        '| N | image | forward ms | forward+backward ms | intersections |',
        '|---|---|---|---|---|',
        ...rows,
        profile ? '\nGPU time per stage (timestamp queries, last forward+backward frame, ms):' : '\n(no timestamp-query on this adapter: no per-stage breakdown)',
        ...stageRows,
      ].join('\n'),
    );
  });
});
