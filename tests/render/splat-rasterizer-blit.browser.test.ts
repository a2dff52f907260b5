// encodeBlit: the rendered image (linear RGB) drawn into an rgba8unorm / bgra8unorm texture (a
// canvas's current texture in playback) is the image buffer sRGB-encoded (src/color/srgb.ts),
// quantised to 8 bits; into an rgba8unorm-srgb texture the hardware encodes and the bytes are the same.
import { expect } from 'chai';
import { linearToSrgb } from '../../src/color/srgb.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { makeCamera, makeScene } from './splat-fixtures.js';

describe('splat rasterizer blit to a texture', () => {
  for (const format of ['rgba8unorm', 'bgra8unorm', 'rgba8unorm-srgb'] as const) {
    it(`draws the image into a ${format} texture`, async () => {
      const device = await getTestDevice();
      const [w, h] = [37, 21];
      const camera = makeCamera(w, h);
      const scene = makeScene(camera, { count: 30, seed: 40, sigma: [0.05, 0.3], background: [0.1, 0.9, 0.4] });
      const r = createSplatRasterizer(device, { width: w, height: h, maxGaussians: 30 });
      const image = await r.render(scene, camera);
      const texture = device.createTexture({ size: [w, h], format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
      const bytesPerRow = 256;
      const readback = device.createBuffer({ size: bytesPerRow * h, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      await expectNoGpuError(device, async () => {
        const encoder = device.createCommandEncoder();
        r.encodeBlit(encoder, texture.createView(), format);
        encoder.copyTextureToBuffer({ texture }, { buffer: readback, bytesPerRow }, [w, h]);
        device.queue.submit([encoder.finish()]);
        await readback.mapAsync(GPUMapMode.READ);
      });
      const bytes = new Uint8Array(readback.getMappedRange().slice(0));
      readback.unmap();
      const channel = format === 'bgra8unorm' ? [2, 1, 0] : [0, 1, 2];
      let worst = 0;
      let dark = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            const linear = image[3 * (y * w + x) + c];
            if (linear > 0.01 && linear < 0.3) dark++;
            const expected = linearToSrgb(linear) * 255;
            worst = Math.max(worst, Math.abs(bytes[y * bytesPerRow + 4 * x + channel[c]] - expected));
          }
          expect(bytes[y * bytesPerRow + 4 * x + 3]).to.equal(255);
        }
      }
      // Mid-dark values are where encoding matters most (linear 0.1 → sRGB 0.35): the image has many.
      expect(dark, 'channels with linear values in 0.01…0.3').to.be.greaterThan(100);
      expect(worst, 'max difference in 8-bit steps').to.be.at.most(0.51);
      texture.destroy();
      r.destroy();
    });
  }
});
