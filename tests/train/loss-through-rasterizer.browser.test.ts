/// <reference types="mocha" />
// The training chain on the GPU in one command buffer: composite the target, render the splats,
// image loss + gradient, rasterizer backward fed with the loss gradient. Compared with the f64
// twins composed the same way (raster twin ∘ loss twin), and the twin chain's ∂loss/∂colors with
// central finite differences of the twin loss (colours enter the image linearly, so the
// finite difference is smooth).
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { createImageLoss } from '../../src/train/losses/image-loss.js';
import { createTargetCompositor } from '../../src/train/losses/composite-target.js';
import { twinGradients, twinRender } from '../render/raster-twin.js';
import { makeCamera, makeScene, maxAbs, maxAbsDiff } from '../render/splat-fixtures.js';
import { compositeTwin, imageLossTwin, lossRandom, randomImage } from './loss-twin.js';
import { nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

describe('image loss → splat rasterizer backward (GPU chain vs twin chain)', () => {
  it('∂loss/∂(means, scales, colours, opacities) match the twins, 40×30, 60 splats', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(40, 30);
    const { width, height } = camera;
    const background: [number, number, number] = [0.2, 0.3, 0.45];
    const scene = makeScene(camera, { count: 60, seed: 8, sigma: [0.05, 0.25], opacity: [0.3, 0.9], background });
    const n = scene.scales.length;
    const rand = lossRandom(17);
    const frame = randomImage(width, height, rand);
    const mask = Float32Array.from({ length: width * height }, (_, p) => ((p % width) > 12 && (p % width) < 30 ? 1 : 0.1 * rand()));

    const buffers = {
      means: upload(device, scene.means), scales: upload(device, scene.scales), colors: upload(device, scene.colors), opacities: upload(device, scene.opacities!),
    };
    const [frameBuffer, maskBuffer] = [upload(device, frame), upload(device, mask)];
    const target = nanBuffer(device, width * height * 3), gradOut = nanBuffer(device, width * height * 3), lossOut = nanBuffer(device, 5);
    const grads = { gradMeans: nanBuffer(device, 3 * n), gradScales: nanBuffer(device, n), gradColors: nanBuffer(device, 3 * n), gradOpacities: nanBuffer(device, n) };
    const rasterizer = createSplatRasterizer(device, { width, height, maxGaussians: n });
    const loss = createImageLoss(device, { width, height });
    const compositor = createTargetCompositor(device, { width, height });
    await expectNoGpuError(device, () => submit(device, (encoder) => {
      compositor.encode(encoder, { image: frameBuffer, mask: maskBuffer, background, target });
      rasterizer.encodeForward(encoder, { ...buffers, count: n, camera, background });
      loss.encode(encoder, { rendered: rasterizer.imageBuffer, target, gradOut, lossOut });
      rasterizer.encodeBackward(encoder, { ...buffers, count: n, gradImage: gradOut, ...grads });
    }));
    const gpu = {
      loss: (await readFloats(device, lossOut, 5))[0],
      means: await readFloats(device, grads.gradMeans, 3 * n), scales: await readFloats(device, grads.gradScales, n),
      colors: await readFloats(device, grads.gradColors, 3 * n), opacities: await readFloats(device, grads.gradOpacities, n),
    };

    const targetTwin = compositeTwin(frame, mask, background, width, height);
    const lossOf = (colors: ArrayLike<number>) => imageLossTwin(twinRender({ ...scene, colors }, camera), targetTwin, width, height, 0.8, 0.2);
    const twinLoss = lossOf(scene.colors);
    const twin = twinGradients(scene, camera, twinLoss.grad);
    expect(gpu.loss, 'loss').to.be.closeTo(twinLoss.loss, 1e-5);
    const errors: Record<string, number> = {};
    for (const field of ['means', 'scales', 'colors', 'opacities'] as const) {
      const scale = maxAbs(twin[field]);
      expect(scale, `${field}: the loss should move this input`).to.be.greaterThan(1e-5);
      errors[field] = maxAbsDiff(gpu[field], twin[field]) / scale;
      expect(errors[field], `${field}: max |gpu − twin| / max |twin|`).to.be.below(1e-4);
    }
    console.log('loss → rasterizer relative gradient errors', errors);

    // The twin chain itself, by finite differences in the colours.
    const colors = Float64Array.from(scene.colors);
    let worst = 0;
    for (let k = 0; k < colors.length; k += 7) {
      const saved = colors[k];
      colors[k] = saved + 1e-6;
      const plus = lossOf(colors).loss;
      colors[k] = saved - 1e-6;
      const minus = lossOf(colors).loss;
      colors[k] = saved;
      worst = Math.max(worst, Math.abs((plus - minus) / 2e-6 - twin.colors[k]));
    }
    expect(worst / maxAbs(twin.colors), 'twin ∂loss/∂colours vs finite differences').to.be.below(1e-5);

    rasterizer.destroy();
    loss.destroy();
    compositor.destroy();
    for (const b of [...Object.values(buffers), ...Object.values(grads), frameBuffer, maskBuffer, target, gradOut, lossOut]) b.destroy();
  });
});
