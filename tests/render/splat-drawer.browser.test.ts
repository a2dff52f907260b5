// The playback drawer (src/render/splat-drawer.ts) on the GPU: each kernel against its twin
// (tests/render/draw-twin.ts) on a random scene, and the whole drawer against the training
// rasterizer on the default avatar (the agreement check: mean |difference| ≤ 1/255).
import { expect } from 'chai';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { linearToSrgb } from '../../src/color/srgb.js';
import { AvatarInputError } from '../../src/errors.js';
import { readBuffer } from '../../src/gpu/buffers.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { DEFAULT_FOV_Y, frameBox, orbitCamera } from '../../src/render/orbit-camera.js';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { createSplatDrawer, type SplatDrawer } from '../../src/render/splat-drawer.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { twinDepthKeys, twinDrawSplats, twinPresent, twinProjectForDraw, twinScanVisibleChunks, type TwinDrawSplat } from './draw-twin.js';
import { makeCamera, makeScene, type Scene } from './splat-fixtures.js';

interface Uploaded {
  means: GPUBuffer;
  scales: GPUBuffer;
  colors: GPUBuffer;
  opacities?: GPUBuffer;
  count: number;
  destroy(): void;
}

function upload(device: GPUDevice, scene: Scene): Uploaded {
  const make = (data: Float32Array) => {
    const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    return b;
  };
  const out = { means: make(scene.means), scales: make(scene.scales), colors: make(scene.colors), opacities: scene.opacities && make(scene.opacities), count: scene.scales.length };
  return { ...out, destroy: () => [out.means, out.scales, out.colors, out.opacities].forEach((b) => b?.destroy()) };
}

/** Draws one frame into a width×height texture of `format`; returns its bytes (RGBA8, tightly packed). */
async function drawFrame(device: GPUDevice, drawer: SplatDrawer, scene: Uploaded, camera: SplatCamera, background: number[], format: GPUTextureFormat = 'rgba8unorm'): Promise<Uint8Array> {
  const { width, height } = camera;
  const texture = device.createTexture({ size: [width, height], format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  try {
    return await expectNoGpuError(device, async () => {
      const encoder = device.createCommandEncoder();
      drawer.encodeDraw(encoder, texture.createView(), format, { ...scene, camera, background });
      device.queue.submit([encoder.finish()]);
      return readTexture(device, texture, 4);
    });
  } finally {
    texture.destroy();
  }
}

async function readTexture(device: GPUDevice, texture: GPUTexture, bytesPerPixel: number): Promise<Uint8Array> {
  const { width, height } = texture;
  const bytesPerRow = Math.ceil((width * bytesPerPixel) / 256) * 256;
  const staging = device.createBuffer({ size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow }, [width, height]);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const rows = new Uint8Array(staging.getMappedRange());
  const out = new Uint8Array(width * height * bytesPerPixel);
  for (let y = 0; y < height; y++) out.set(rows.subarray(y * bytesPerRow, y * bytesPerRow + width * bytesPerPixel), y * width * bytesPerPixel);
  staging.destroy();
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The drawer's linear float target (rgba32float or rgba16float) as f64, H×W×4. */
async function readDrawnImage(device: GPUDevice, drawer: SplatDrawer): Promise<Float64Array> {
  const image = drawer.stages.image;
  if (image.format === 'rgba32float') {
    const bytes = await readTexture(device, image, 16);
    return Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  }
  expect(image.format).to.equal('rgba16float');
  const bytes = await readTexture(device, image, 8);
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return Float64Array.from(halves, halfToFloat);
}

/** A device of the test adapter without 'float32-blendable' (the drawer then blends into rgba16float). */
async function deviceWithoutFloat32Blending(): Promise<GPUDevice> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('requestAdapter() returned null: no WebGPU adapter on this machine');
  return adapter.requestDevice({ label: 'no float32-blendable' });
}


async function readSplats(device: GPUDevice, drawer: SplatDrawer, count: number): Promise<TwinDrawSplat[]> {
  const bytes = await readBuffer(device, drawer.stages.splats, 48 * count);
  const f = new Float32Array(bytes);
  const u = new Uint32Array(bytes);
  return Array.from({ length: count }, (_, k) => {
    const o = 12 * k;
    return { u: f[o], v: f[o + 1], radius: f[o + 2], depth: f[o + 3], A: f[o + 4], B: f[o + 5], C: f[o + 6], opacity: f[o + 7], color: [f[o + 8], f[o + 9], f[o + 10]] as [number, number, number], index: u[o + 11] };
  });
}

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Every kernel of the drawer against its twin on a random scene. */
async function checkKernelsAgainstTwins(device: GPUDevice, targetFormat: GPUTextureFormat): Promise<void> {
  const camera = makeCamera(64, 48);
  const scene = makeScene(camera, { count: 300, seed: 21, sigma: [0.02, 0.12], opacity: [0.1, 1], margin: 0.4 });
  const background = [0.2, 0.5, 0.9];
  const drawer = createSplatDrawer(device, { width: 64, height: 48, maxGaussians: 400 });
  const gpu = upload(device, scene);
  try {
    expect(drawer.stages.image.format, 'blend target').to.equal(targetFormat);
    const presented = await drawFrame(device, drawer, gpu, camera, background);
    // Projection + compaction: exactly the twin's visible set, each record as the twin computes it.
    const counters = new Uint32Array(await readBuffer(device, drawer.stages.counters));
    const twin = twinProjectForDraw(scene, camera);
    expect(Array.from(counters.subarray(0, 5)), 'draw arguments (3 vertices per visible splat, 1 instance), visible count').to.deep.equal([3 * twin.length, 1, 0, 0, twin.length]);
    expect(twin.length, 'the margin leaves some splats off-screen').to.be.lessThan(300).and.greaterThan(100);
    const flags = new Uint32Array(await readBuffer(device, drawer.stages.visible, 4 * 300));
    const byIndex = new Map(twin.map((s) => [s.index, s]));
    expect(Array.from(flags), 'visible flags').to.deep.equal(Array.from({ length: 300 }, (_, i) => (byIndex.has(i) ? 1 : 0)));
  const chunkOffsets = new Uint32Array(await readBuffer(device, drawer.stages.chunkOffsets, 4 * Math.ceil(300 / 128)));
  const scan = twinScanVisibleChunks(flags);
  expect(Array.from(chunkOffsets), 'first compact slot per chunk of 128').to.deep.equal(scan.offsets);
  expect(scan.total).to.equal(twin.length);
    const all = await readSplats(device, drawer, 300);
    const splats = twin.map((t) => all[t.index]);
    for (const s of splats) {
      const t = byIndex.get(s.index)!;
      expect(t, `splat ${s.index} is visible in the twin`).to.not.equal(undefined);
      for (const key of ['u', 'v', 'depth', 'A', 'B', 'C', 'opacity'] as const) {
        expect(close(s[key], t[key], 1e-4), `splat ${s.index}.${key}: ${s[key]} vs ${t[key]}`).to.equal(true);
      }
      expect(Math.abs(s.radius - t.radius), `splat ${s.index}.radius`).to.be.at.most(1);
      expect(s.color).to.deep.equal(Array.from(scene.colors.subarray(3 * s.index, 3 * s.index + 3)));
    }
    const depths = splats.map((s) => s.depth);
    const f32 = new Float32Array(2);
    new Uint32Array(f32.buffer).set(counters.subarray(5, 7));
    expect([f32[0], f32[1]], 'visible depth range').to.deep.equal([Math.min(...depths), Math.max(...depths)]);
    // Keys (18 bits over the visible range) sorted with the Gaussians' indices; equal keys in index order.
    const keys = new Uint32Array(await readBuffer(device, drawer.stages.keys, 4 * twin.length));
    const order = new Uint32Array(await readBuffer(device, drawer.stages.order, 4 * twin.length));
    const expectedKeys = new Map(twinDepthKeys(depths).map((key, k) => [twin[k].index, key]));
    expect([...order].sort((a, b) => a - b)).to.deep.equal(twin.map((t) => t.index));
    for (let k = 0; k < keys.length; k++) {
      if (k > 0) expect(keys[k], `keys ascend at ${k}`).to.be.at.least(keys[k - 1]);
      if (k > 0 && keys[k] === keys[k - 1]) expect(order[k], `ties in index order at ${k}`).to.be.greaterThan(order[k - 1]);
      expect(Math.abs(keys[k] - expectedKeys.get(order[k])!), `key of Gaussian ${order[k]}`).to.be.at.most(1);
    }
    // Blending, in the GPU's draw order: the float target vs the twin.
    const drawn = await readDrawnImage(device, drawer);
    const expectedDrawn = twinDrawSplats(Array.from(order, (index) => byIndex.get(index)!), 64, 48);
    const drawnMean = meanAbsDiff(drawn, expectedDrawn);
    let drawnMax = 0;
    for (let i = 0; i < drawn.length; i++) drawnMax = Math.max(drawnMax, Math.abs(drawn[i] - expectedDrawn[i]));
    console.log(`drawn ${targetFormat} target vs twin: mean ${drawnMean.toExponential(2)}, max ${drawnMax.toExponential(2)}`);
    // Half floats round every blended layer; f32 only the last bits.
    const [meanLimit, maxLimit] = targetFormat === 'rgba32float' ? [1e-6, 2e-5] : [5e-4, 4e-3];
    expect(drawnMean).to.be.lessThan(meanLimit);
    expect(drawnMax).to.be.lessThan(maxLimit);
    // Present: C + T·bg, sRGB-encoded into rgba8unorm (shader) and rgba8unorm-srgb (hardware).
    const expectedSrgb = twinPresent(expectedDrawn, background, true);
    const presentedSrgb = await drawFrame(device, drawer, gpu, camera, background, 'rgba8unorm-srgb');
    for (const [name, bytes] of [['rgba8unorm', presented], ['rgba8unorm-srgb', presentedSrgb]] as const) {
      let worst = 0;
      for (let p = 0; p < 64 * 48; p++) {
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(bytes[4 * p + c] - 255 * expectedSrgb[3 * p + c]));
        expect(bytes[4 * p + 3]).to.equal(255);
      }
      expect(worst, `${name}: worst 8-bit level difference`).to.be.lessThan(1.6);
    }
  } finally {
    gpu.destroy();
    drawer.destroy();
  }
}

describe('splat drawer', () => {
  it('each kernel matches its twin: projection, compaction into 18-bit depth keys, sort, blending, sRGB present', async () => {
    const device = await getTestDevice();
    await checkKernelsAgainstTwins(device, device.features.has('float32-blendable') ? 'rgba32float' : 'rgba16float');
  });

  it('blends into rgba16float on a device without float32-blendable, matching the twins as well', async () => {
    const device = await deviceWithoutFloat32Blending();
    try {
      await checkKernelsAgainstTwins(device, 'rgba16float');
    } finally {
      device.destroy();
    }
  });

  it('draws what the training rasterizer renders, on the default avatar (mean |difference| ≤ 1/255)', async () => {
    const device = await getTestDevice();
    const avatar = await createDefaultAvatar();
    // The size: 1280×720 (a few seconds on SwiftShader since the drawer got fast).
    const [width, height] = [1280, 720];
    const rest = avatar.body.forward({ pose: new Float32Array(72), betas: avatar.betas }).vertices;
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < rest.length; i++) [min[i % 3], max[i % 3]] = [Math.min(min[i % 3], rest[i]), Math.max(max[i % 3], rest[i])];
    const camera = orbitCamera(frameBox(min, max, width / height), width, height, DEFAULT_FOV_Y);
    const { pose, trans } = sampleMotion(idleMotion(), 0.7, { loop: true });
    const posed = poseGaussians(avatar, { pose, trans });
    const background = [0.1, 0.1, 0.1];
    const scene: Scene = { means: posed.positions, scales: posed.scales, colors: posed.colors };
    const n = scene.scales.length;
    const drawer = createSplatDrawer(device, { width, height, maxGaussians: n });
    const rasterizer = createSplatRasterizer(device, { width, height, maxGaussians: n });
    const gpu = upload(device, scene);
    try {
      const presented = await drawFrame(device, drawer, gpu, camera, background);
      const drawn = await readDrawnImage(device, drawer);
      // Every drawn pixel lies in the box present_splat_image composites (the rest is the clear colour).
      const [x0, y0, x1, y1] = new Uint32Array(await readBuffer(device, drawer.stages.counters)).subarray(8, 12);
      expect((x1 - x0) * (y1 - y0), `box ${[x0, y0, x1, y1]}: part of the image`).to.be.greaterThan(0).and.lessThan(0.5 * width * height);
      let outside = 0;
      for (let p = 0; p < width * height; p++) {
        const [x, y] = [p % width, Math.floor(p / width)];
        if ((x < x0 || x >= x1 || y < y0 || y >= y1) && drawn[4 * p + 3] !== 0) outside++;
      }
      expect(outside, 'drawn pixels outside the box').to.equal(0);
      const linear = twinPresent(drawn, background, false);
      const reference = await rasterizer.render({ ...scene, background }, camera);
      let covered = 0;
      for (let p = 0; p < width * height; p++) if (Math.abs(reference[3 * p] - background[0]) > 0.02) covered++;
      expect(covered, 'the figure covers part of the image').to.be.greaterThan(0.03 * width * height);
      const mean = meanAbsDiff(linear, reference);
      let srgbSum = 0;
      for (let p = 0; p < width * height; p++) {
        for (let c = 0; c < 3; c++) srgbSum += Math.abs(presented[4 * p + c] / 255 - linearToSrgb(reference[3 * p + c]));
      }
      const srgbMean = srgbSum / (3 * width * height);
      console.log(`default avatar (N = ${n}) at ${width}×${height}: drawer vs rasterizer, mean |Δ| linear ${(255 * mean).toFixed(3)}/255, presented sRGB ${(255 * srgbMean).toFixed(3)}/255`);
      expect(mean, 'linear image').to.be.at.most(1 / 255);
      expect(srgbMean, 'presented sRGB image vs the rasterizer image encoded').to.be.at.most(1 / 255);
    } finally {
      gpu.destroy();
      drawer.destroy();
      rasterizer.destroy();
      avatar.body.dispose();
    }
  });

  it('draws only the background for N = 0 and rejects bad input with typed errors', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(8, 8);
    const drawer = createSplatDrawer(device, { width: 8, height: 8, maxGaussians: 4 });
    const empty = upload(device, { means: new Float32Array(0), scales: new Float32Array(0), colors: new Float32Array(0) });
    try {
      const bytes = await drawFrame(device, drawer, empty, camera, [1, 0, 0.5]);
      expect(Array.from(bytes.subarray(0, 4))).to.deep.equal([255, 0, Math.round(255 * linearToSrgb(0.5)), 255]);
      const encoder = device.createCommandEncoder();
      const view = device.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT }).createView();
      expect(() => drawer.encodeDraw(encoder, view, 'rgba8unorm', { ...empty, count: 5, camera })).to.throw(AvatarInputError, /^count:/);
      expect(() => drawer.encodeDraw(encoder, view, 'rgba8unorm', { ...empty, count: 2, camera })).to.throw(AvatarInputError, /^means:/);
      expect(() => drawer.encodeDraw(encoder, view, 'rgba8unorm', { ...empty, camera: makeCamera(9, 8) })).to.throw(AvatarInputError, /width/);
      expect(() => drawer.encodeDraw(encoder, view, 'rgba8unorm', { ...empty, camera, background: [1, 2] })).to.throw(AvatarInputError, /background/);
      expect(() => createSplatDrawer(device, { width: 0, height: 8, maxGaussians: 4 })).to.throw(AvatarInputError, /width/);
      drawer.destroy();
      expect(() => drawer.encodeDraw(encoder, view, 'rgba8unorm', { ...empty, camera })).to.throw(AvatarInputError, /destroyed/);
    } finally {
      empty.destroy();
      drawer.destroy();
    }
  });
});
