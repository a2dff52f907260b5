// Bad input to the splat rasterizer: a typed error naming the field, nothing sent to the GPU,
// and the device (and the rasterizer) still work afterwards.
import { expect } from 'chai';
import { AvatarInputError, WebGPUUnavailableError } from '../../src/errors.js';
import { createSplatRasterizer, type SplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { twinRender } from './raster-twin.js';
import { makeCamera, makeGradImage, makeScene, maxAbsDiff, type Camera, type Scene } from './splat-fixtures.js';

const W = 24;
const H = 20;

/** Expects `body` to throw (or reject with) `type` whose message contains `field`. */
async function expectRejects(body: () => unknown, field: string, type: new (...a: never[]) => Error = AvatarInputError): Promise<void> {
  let caught: unknown;
  try {
    await body();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${type.name} for ${field}`).to.be.instanceOf(type);
  expect((caught as Error).message).to.include(field);
}

/** Renders a valid scene with no GPU error and checks it against the twin. */
async function stillWorks(r: SplatRasterizer, scene: Scene, camera: Camera): Promise<void> {
  const device = await getTestDevice();
  const image = await expectNoGpuError(device, () => r.render(scene, camera));
  expect(maxAbsDiff(image, twinRender(scene, camera))).to.be.lessThan(1e-4);
}

describe('splat rasterizer input validation', () => {
  it('rejects bad scenes, cameras and gradient images with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(W, H);
    const scene = makeScene(camera, { count: 5, seed: 30, sigma: [0.1, 0.3], opacity: [0.5, 1] });
    const r = createSplatRasterizer(device, { width: W, height: H, maxGaussians: 5 });
    device.pushErrorScope('validation');
    const withNaN = (a: Float32Array, i: number, v = NaN) => { const b = a.slice(); b[i] = v; return b; };
    const bad: [string, () => unknown][] = [
      ['scene.means', () => r.render({ ...scene, means: scene.means.slice(0, 14) }, camera)],
      ['scene.means', () => r.render({ ...scene, means: withNaN(scene.means, 4) }, camera)],
      ['scene.scales', () => r.render({ ...scene, scales: withNaN(scene.scales, 1, Infinity) }, camera)],
      ['scene.scales', () => r.render({ ...scene, scales: withNaN(scene.scales, 2, -0.1) }, camera)],
      ['scene.scales', () => r.render(makeScene(camera, { count: 6, seed: 31 }), camera)],
      ['scene.colors', () => r.render({ ...scene, colors: new Float32Array(3) }, camera)],
      ['scene.opacities', () => r.render({ ...scene, opacities: withNaN(scene.opacities!, 0, 1.5) }, camera)],
      ['scene.opacities', () => r.render({ ...scene, opacities: new Float32Array(4) }, camera)],
      ['scene.background', () => r.render({ ...scene, background: [1, 1] as unknown as [number, number, number] }, camera)],
      ['scene.background', () => r.render({ ...scene, background: [1, NaN, 0] }, camera)],
      ['camera.width', () => r.render(scene, { ...camera, width: W + 1 })],
      ['camera.width', () => r.render(scene, makeCamera(W, H + 16))],
      ['camera.K', () => r.render(scene, { ...camera, K: camera.K.slice(0, 8) })],
      ['camera.K', () => r.render(scene, { ...camera, K: withNaN(camera.K, 0) })],
      ['camera.K', () => r.render(scene, { ...camera, K: withNaN(camera.K, 3, 0.5) })],
      ['camera.view', () => r.render(scene, { ...camera, view: camera.view.slice(0, 12) })],
      ['camera.view', () => r.render(scene, { ...camera, view: withNaN(camera.view, 13, Infinity) })],
      ['camera.view', () => r.render(scene, { ...camera, view: withNaN(camera.view, 15, 2) })],
      ['camera.near', () => r.render(scene, { ...camera, near: 0 })],
      ['gradImage', () => r.gradients(scene, camera, new Float32Array(W * H * 3 - 1))],
      ['gradImage', () => r.gradients(scene, camera, withNaN(makeGradImage(W, H, 1), 7))],
    ];
    for (const [field, call] of bad) await expectRejects(call, field);
    expect(await device.popErrorScope(), 'no GPU validation error from rejected input').to.equal(null);
    await stillWorks(r, scene, camera);
    r.destroy();
  });

  it('rejects bad options, bad GPU-buffer arguments and use after destroy', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(W, H);
    device.pushErrorScope('validation');
    await expectRejects(() => createSplatRasterizer(device, { width: 0, height: H, maxGaussians: 5 }), 'options.width');
    await expectRejects(() => createSplatRasterizer(device, { width: W, height: NaN, maxGaussians: 5 }), 'options.height');
    await expectRejects(() => createSplatRasterizer(device, { width: W, height: H, maxGaussians: 0 }), 'options.maxGaussians');
    await expectRejects(() => createSplatRasterizer({} as GPUDevice, { width: W, height: H, maxGaussians: 5 }), 'device');

    const r = createSplatRasterizer(device, { width: W, height: H, maxGaussians: 8 });
    const storage = (bytes: number, usage = GPUBufferUsage.STORAGE) => device.createBuffer({ size: bytes, usage });
    const gpuScene = { means: storage(96), scales: storage(32), colors: storage(96), count: 8 };
    const encoder = device.createCommandEncoder();
    await expectRejects(() => r.encodeForward(encoder, { ...gpuScene, count: 9, camera }), 'count');
    await expectRejects(() => r.encodeForward(encoder, { ...gpuScene, means: storage(64), camera }), 'means');
    await expectRejects(() => r.encodeForward(encoder, { ...gpuScene, colors: storage(96, GPUBufferUsage.UNIFORM), camera }), 'colors');
    await expectRejects(() => r.encodeForward(encoder, { ...gpuScene, camera: { ...camera, K: new Float32Array(9) } }), 'camera.K');
    r.encodeForward(encoder, { ...gpuScene, count: 4, camera });
    const grads = { gradImage: storage(W * H * 12), gradMeans: storage(96), gradScales: storage(32), gradColors: storage(96), gradOpacities: storage(32) };
    await expectRejects(() => r.encodeBackward(encoder, { ...gpuScene, ...grads, count: 5 }), 'count');
    await expectRejects(() => r.encodeBackward(encoder, { ...gpuScene, ...grads, count: 4, gradImage: storage(16) }), 'gradImage');
    device.queue.submit([encoder.finish()]);
    expect(await device.popErrorScope(), 'no GPU validation error from rejected input').to.equal(null);

    const scene = makeScene(camera, { count: 8, seed: 32 });
    await stillWorks(r, scene, camera);
    r.destroy();
    await expectRejects(() => r.render(scene, camera), 'rasterizer');
  });

  it('throws WebGPUUnavailableError where WebGPU is missing', async () => {
    const g = globalThis as { GPUDevice?: unknown };
    const saved = g.GPUDevice;
    g.GPUDevice = undefined;
    try {
      await expectRejects(() => createSplatRasterizer({} as GPUDevice, { width: W, height: H, maxGaussians: 5 }), 'WebGPU', WebGPUUnavailableError);
    } finally {
      g.GPUDevice = saved;
    }
  });
});
