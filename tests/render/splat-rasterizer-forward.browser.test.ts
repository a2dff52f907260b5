// GPU forward render vs the f64 twin on small scenes chosen to hit every branch of the pipeline.
import { expect } from 'chai';
import { createSplatRasterizer, type SplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { twinRender } from './raster-twin.js';
import { joinScenes, makeCamera, makeScene, maxAbsDiff, unproject, type Camera, type Scene } from './splat-fixtures.js';

const TOLERANCE = 1e-4;

/** Renders on the GPU and with the twin; returns the max abs difference and checks the image is not just background. */
async function compare(rasterizer: SplatRasterizer, scene: Scene, camera: Camera, expectContent = true): Promise<number> {
  const device = await getTestDevice();
  const gpu = await expectNoGpuError(device, () => rasterizer.render(scene, camera));
  const twin = twinRender(scene, camera);
  expect(gpu.length).to.equal(camera.width * camera.height * 3);
  if (expectContent) {
    const bg = scene.background ?? [0, 0, 0];
    const flat = Float64Array.from({ length: twin.length }, (_, i) => bg[i % 3]);
    expect(maxAbsDiff(twin, flat), 'the scene should put splats into the image').to.be.greaterThan(0.05);
  }
  const err = maxAbsDiff(gpu, twin);
  expect(err, 'max abs error vs twin').to.be.lessThan(TOLERANCE);
  return err;
}

describe('splat rasterizer forward vs twin', () => {
  it('random overlapping splats with opacities and a background, 70×50', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(70, 50);
    const r = createSplatRasterizer(device, { width: 70, height: 50, maxGaussians: 200 });
    const scene = makeScene(camera, { count: 150, seed: 1, sigma: [0.02, 0.2], opacity: [0.1, 1], background: [0.3, 0.6, 0.1] });
    await compare(r, scene, camera);
    // Same rasterizer, a second scene and camera: no state leaks from the first frame.
    const camera2 = makeCamera(70, 50, -0.2);
    await compare(r, makeScene(camera2, { count: 60, seed: 2, sigma: [0.05, 0.3] }), camera2);
    r.destroy();
  });

  it('splats on and across tile borders, 40×30', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(40, 30);
    const parts: Scene[] = [];
    const xs = [15.5, 16, 16.5, 31.9, 32, 8];
    const ys = [15.5, 16, 16.2, 4, 29.5];
    xs.forEach((u, i) => ys.forEach((v, j) => {
      parts.push({
        means: Float32Array.from(unproject(camera, u, v, 2 + 0.1 * i + 0.013 * j)),
        scales: new Float32Array([0.01 + 0.01 * ((i + j) % 4)]),
        colors: new Float32Array([i / 6, j / 5, 0.5]),
        opacities: new Float32Array([0.8]),
      });
    }));
    await compare(createSplatRasterizer(device, { width: 40, height: 30, maxGaussians: 64 }), joinScenes(...parts), camera);
  });

  it('partly off-screen splats and splats behind the camera or the near plane, 33×17', async () => {
    const device = await getTestDevice();
    const camera = { ...makeCamera(33, 17), near: 0.2 };
    const offscreen = makeScene(camera, { count: 60, seed: 4, sigma: [0.05, 0.4], margin: 0.6, opacity: [0.5, 1] });
    const behind = makeScene(camera, { count: 20, seed: 5, depth: [-3, -0.1], sigma: [0.1, 0.5] });
    const beforeNear = makeScene(camera, { count: 10, seed: 6, depth: [0.02, 0.19], sigma: [0.01, 0.05] });
    const r = createSplatRasterizer(device, { width: 33, height: 17, maxGaussians: 100 });
    await compare(r, joinScenes(offscreen, behind, beforeNear), camera);
    // Only culled Gaussians: the background alone.
    await compare(r, { ...joinScenes(behind, beforeNear), background: [0.5, 0.25, 1] }, camera, false);
  });

  it('huge and sub-pixel splats, saturating opacity 1 (early stop), 48×32', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(48, 32);
    const huge = makeScene(camera, { count: 6, seed: 7, sigma: [1, 3], depth: [3, 6], opacity: [0.2, 0.6] });
    const tiny = makeScene(camera, { count: 40, seed: 8, sigma: [0.0001, 0.002], depth: [1, 3] });
    const solid = makeScene(camera, { count: 30, seed: 9, sigma: [0.2, 0.5], depth: [2, 3] });
    await compare(createSplatRasterizer(device, { width: 48, height: 32, maxGaussians: 100 }), joinScenes(huge, tiny, solid), camera);
  });

  it('equal depths composite in Gaussian index order, 40×30', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(40, 30, 0);
    const scene = makeScene(camera, { count: 40, seed: 10, sigma: [0.1, 0.3], depth: [3, 3], opacity: [0.5, 0.9] });
    // Also exact duplicates with different colours: only the order decides the image.
    const twins = makeScene(camera, { count: 5, seed: 11, sigma: [0.2, 0.2], depth: [2.5, 2.5], opacity: [0.7, 0.7] });
    const dup = joinScenes(twins, { ...twins, colors: twins.colors.map((c) => 1 - c) });
    await compare(createSplatRasterizer(device, { width: 40, height: 30, maxGaussians: 100 }), joinScenes(scene, dup), camera);
  });

  it('N = 0 and N = 1, non-square and multiple-of-16 sizes', async () => {
    const device = await getTestDevice();
    for (const [w, h] of [[16, 16], [17, 40], [64, 48], [1, 1]]) {
      const camera = makeCamera(w, h);
      const r = createSplatRasterizer(device, { width: w, height: h, maxGaussians: 1 });
      const none = await r.render({ means: new Float32Array(0), scales: new Float32Array(0), colors: new Float32Array(0), background: [0.25, 0.5, 0.75] }, camera);
      expect(maxAbsDiff(none, Float32Array.from({ length: w * h * 3 }, (_, i) => [0.25, 0.5, 0.75][i % 3]))).to.equal(0);
      const one = { means: Float32Array.from(unproject(camera, w / 2, h / 2, 2)), scales: new Float32Array([0.1]), colors: new Float32Array([1, 0.5, 0.2]) };
      await compare(r, one, camera);
      r.destroy();
    }
  });

  it('shared-memory batches (256 and 24 per batch, early tile stop) and storage reads give the twin image', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(40, 30);
    const scene = joinScenes(
      makeScene(camera, { count: 100, seed: 13, sigma: [0.05, 0.3], opacity: [0.3, 1] }),
      makeScene(camera, { count: 40, seed: 14, sigma: [0.5, 1], depth: [4, 5] }),
    );
    for (const sharedBatch of [0, 256, 24]) {
      const r = createSplatRasterizer(device, { width: 40, height: 30, maxGaussians: 140, sharedBatch });
      expect(r.sharedBatch).to.equal(sharedBatch);
      await compare(r, scene, camera);
      r.destroy();
    }
  });

  it('grows the intersection list when a frame overflows it', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(64, 48);
    const r = createSplatRasterizer(device, { width: 64, height: 48, maxGaussians: 50, maxIntersections: 16 });
    const scene = makeScene(camera, { count: 50, seed: 12, sigma: [0.3, 0.6] });
    await compare(r, scene, camera);
    const { total, capacity } = await r.readIntersectionCount();
    expect(total).to.be.greaterThan(16);
    expect(capacity).to.be.at.least(total);
  });
});
