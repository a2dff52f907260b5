/// <reference types="mocha" />
/**
 * Training-loss speed: the image loss (0.8·L1 + 0.2·(1 − SSIM)) with its gradient, with and
 * without the logged summary (tree sums), target compositing, and the regularisers, at 512 × 512
 * and 1920 × 1080. Wall clock per call (median of several submits, each awaited with
 * onSubmittedWorkDone), printed as a table with the adapter name. Never asserts speed.
 */
import { getTestDevice } from '../helpers/gpu-device.js';
import { adapterName, medianMs } from './bench-helpers.js';
import { createBufferFrom } from '../../src/gpu/buffers.js';
import { createImageLoss } from '../../src/train/losses/image-loss.js';
import { createTargetCompositor } from '../../src/train/losses/composite-target.js';
import { createRegularisers } from '../../src/train/losses/regularisers.js';
import { lossRandom, randomImage } from '../train/loss-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

describe('training losses benchmark', () => {
  it('prints image loss + gradient, compositing and regulariser times', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    // SwiftShader is a CPU rasteriser: few runs there (the 1080p image loss takes seconds per run).
    const slow = /swiftshader/i.test(name);
    const runs = slow ? 3 : 20;
    const rows: string[] = [];
    const row = (op: string, size: string, ms: number, items: number) => {
      rows.push(`| ${op} | ${size} | ${ms.toFixed(3)} | ${(items / ms / 1e3).toFixed(1)} |`);
      console.log(`${op} ${size}: ${ms.toFixed(3)} ms`); // progress, in case a slow adapter runs out of time
    };

    for (const [width, height] of [[512, 512], [1920, 1080]]) {
      const size = `${width}×${height}`;
      const pixels = width * height;
      const rand = lossRandom(width);
      const [rendered, target, image] = [0, 1, 2].map(() => createBufferFrom(device, randomImage(width, height, rand), USAGE()));
      const mask = createBufferFrom(device, Float32Array.from({ length: pixels }, () => rand()), USAGE());
      const gradOut = device.createBuffer({ size: 12 * pixels, usage: USAGE() });
      const lossOut = device.createBuffer({ size: 32, usage: USAGE() });
      const loss = createImageLoss(device, { width, height, l1Weight: 0.8, ssimWeight: 0.2 });
      const compositor = createTargetCompositor(device, { width, height });

      row('image loss: gradient only', size, await medianMs(device, runs, (e) => loss.encode(e, { rendered, target, gradOut })), pixels);
      row('image loss: gradient + summary', size, await medianMs(device, runs, (e) => loss.encode(e, { rendered, target, gradOut, lossOut })), pixels);
      row('composite target', size, await medianMs(device, runs, (e) => compositor.encode(e, { image, mask, background: [1, 1, 1], target })), pixels);

      loss.destroy();
      compositor.destroy();
      for (const b of [rendered, target, image, mask, gradOut, lossOut]) b.destroy();
    }

    // Feature tensor C × R × R (GaussianAvatar: 64 channels … here 32 × 256²) and 200 k offsets.
    const [channels, resolution, gaussians] = slow ? [16, 128, 50_000] : [32, 256, 200_000];
    const elements = Math.max(channels * resolution * resolution, 3 * gaussians);
    const regs = createRegularisers(device, { maxElements: elements });
    const rand = lossRandom(3);
    const values = createBufferFrom(device, Float32Array.from({ length: elements }, () => rand() - 0.5), USAGE());
    const grad = device.createBuffer({ size: 4 * elements, usage: USAGE() });
    const lossOut = device.createBuffer({ size: 16, usage: USAGE() });
    row('total variation + grad + sum', `${channels}×${resolution}²`, await medianMs(device, runs, (e) =>
      regs.encodeTotalVariation(e, { tensor: values, channels, height: resolution, width: resolution, weight: 1, grad, lossOut })), channels * resolution * resolution);
    row('mean ‖δ‖² + grad + sum', `${gaussians.toLocaleString('en-US')}×3`, await medianMs(device, runs, (e) =>
      regs.encodeL2(e, { values, items: gaussians, components: 3, weight: 1, grad, lossOut })), 3 * gaussians);
    regs.destroy();
    for (const b of [values, grad, lossOut]) b.destroy();

    console.log([`Training losses on ${name} (median of ${runs}, wall clock per submit)`, '| op | size | ms | M items/s |', '|---|---|---|---|', ...rows].join('\n'));
  });
});
