// The avatar renderer's two pipelines draw the same picture: 'draw' (the playback drawer, what the
// player uses) against 'compute' (the training rasterizer + sRGB blit) into rgba8unorm targets, at
// two poses; 'draw' profiles its stages and has no image buffer.
import { expect } from 'chai';
import { linearToSrgb } from '../../src/color/srgb.js';
import { AvatarInputError } from '../../src/errors.js';
import { createAvatarRenderer, type AvatarRenderer } from '../../src/render/avatar-renderer.js';
import { orbitCamera } from '../../src/render/orbit-camera.js';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { armsDownMotion, smallAvatar } from '../player/player-fixtures.js';

const BG = [0.2, 0.3, 0.4];

/** One frame of `renderer` into an rgba8unorm texture, read back (RGBA8, tightly packed). */
async function drawnPixels(device: GPUDevice, renderer: AvatarRenderer, pose: Float32Array, trans: Float32Array, camera: SplatCamera): Promise<Uint8Array> {
  const { width, height } = camera;
  const texture = device.createTexture({ size: [width, height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const bytesPerRow = Math.ceil((4 * width) / 256) * 256;
  const staging = device.createBuffer({ size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    return await expectNoGpuError(device, async () => {
      const encoder = device.createCommandEncoder();
      renderer.encodeFrame(encoder, texture.createView(), 'rgba8unorm', { pose, trans, camera, background: BG });
      encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow }, [width, height]);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const rows = new Uint8Array(staging.getMappedRange());
      const out = new Uint8Array(4 * width * height);
      for (let y = 0; y < height; y++) out.set(rows.subarray(y * bytesPerRow, y * bytesPerRow + 4 * width), 4 * y * width);
      return out;
    });
  } finally {
    texture.destroy();
    staging.destroy();
  }
}

describe('avatar renderer pipelines', () => {
  it("'draw' shows what 'compute' shows (mean ≤ 1/255), profiles its stages, and keeps no image buffer", async () => {
    const device = await getTestDevice();
    const avatar = await smallAvatar();
    const [w, h] = [64, 80];
    const camera = orbitCamera({ theta: 0.4, phi: 0.1, radius: 3.2, target: [0.1, -0.2, 0] }, w, h);
    const draw = createAvatarRenderer(device, avatar, { width: w, height: h, pipeline: 'draw', profile: device.features.has('timestamp-query') });
    const compute = createAvatarRenderer(device, avatar, { width: w, height: h, pipeline: 'compute' });
    try {
      expect([draw.pipeline, compute.pipeline]).to.deep.equal(['draw', 'compute']);
      const background8 = BG.map((c) => Math.round(255 * linearToSrgb(c)));
      const motion = armsDownMotion();
      for (const t of [0.3, 1.7]) {
        const { pose, trans } = sampleMotion(motion, t);
        const drawn = await drawnPixels(device, draw, pose, trans, camera);
        const reference = await drawnPixels(device, compute, pose, trans, camera);
        let sum = 0;
        let max = 0;
        let covered = 0;
        for (let p = 0; p < w * h; p++) {
          if (Math.abs(reference[4 * p + 2] - background8[2]) > 10) covered++;
          for (let c = 0; c < 3; c++) {
            const d = Math.abs(drawn[4 * p + c] - reference[4 * p + c]);
            sum += d;
            max = Math.max(max, d);
          }
        }
        const mean = sum / (3 * w * h);
        console.log(`t = ${t}: draw vs compute, 8-bit levels: mean ${mean.toFixed(3)}, max ${max}`);
        expect(covered, 'the figure covers part of the image').to.be.greaterThan(200);
        expect(mean, `mean |difference| at t = ${t}, 8-bit levels`).to.be.at.most(1);
        expect(max, `max |difference| at t = ${t}`).to.be.lessThan(40);
      }
      expect(await draw.checkCapacity()).to.equal(false);
      expect(() => draw.imageBuffer).to.throw(AvatarInputError, /^imageBuffer:/);
      if (device.features.has('timestamp-query')) {
        const stages = (await draw.readProfile()).map((s) => s.stage);
        expect(stages).to.deep.equal(['skin', 'project', 'compact', 'sort', 'draw', 'present']);
      }
      draw.resize(48, 40);
      expect([draw.width, draw.height]).to.deep.equal([48, 40]);
      expect(() => createAvatarRenderer(device, avatar, { width: w, height: h, pipeline: 'tiles' as never })).to.throw(AvatarInputError, /^options\.pipeline:/);
      expect(() => createAvatarRenderer(device, avatar, { width: w, height: h, profile: true })).to.throw(AvatarInputError, /^options\.profile:/);
    } finally {
      draw.destroy();
      compute.destroy();
    }
  });
});
