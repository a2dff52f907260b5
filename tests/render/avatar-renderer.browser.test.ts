// The avatar renderer's frame (WASM skinning matrices → GPU skinning → rasterise) against the
// composition of its oracles: CPU posing (poseGaussians) rendered by the rasterizer's convenience
// path, for an untrained avatar and for a trained-like one (random appearance-network weights: the
// renderer runs the GPU playback network, the oracle the CPU evaluation). Also: the intersection list grows after a frame overflows it, and bad input is typed.
import { expect } from 'chai';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { AvatarInputError } from '../../src/errors.js';
import { createAvatarRenderer } from '../../src/render/avatar-renderer.js';
import { orbitCamera } from '../../src/render/orbit-camera.js';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { createAppearanceNetwork, type AppearanceConfig } from '../../src/train/appearance-network.js';
import { poseCodeLength } from '../../src/train/pose-code.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { armsDownMotion, smallAvatar } from '../player/player-fixtures.js';
import { makeRng } from './splat-fixtures.js';

const BG = [0.2, 0.3, 0.4];

async function readImage(device: GPUDevice, buffer: GPUBuffer, floats: number): Promise<Float32Array> {
  const staging = device.createBuffer({ size: 4 * floats, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, 4 * floats);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return out;
}

/** Renders one frame with the avatar renderer and returns its image buffer (H×W×3). */
async function rendererImage(device: GPUDevice, renderer: ReturnType<typeof createAvatarRenderer>, pose: Float32Array, trans: Float32Array, camera: SplatCamera) {
  const target = device.createTexture({ size: [camera.width, camera.height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT });
  await expectNoGpuError(device, async () => {
    const encoder = device.createCommandEncoder();
    renderer.encodeFrame(encoder, target.createView(), 'rgba8unorm', { pose, trans, camera, background: BG });
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  });
  target.destroy();
  return readImage(device, renderer.imageBuffer, camera.width * camera.height * 3);
}

function compare(a: Float32Array, b: Float32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

describe('avatar renderer', () => {
  it('draws what CPU posing + the rasterizer draw, at two poses', async () => {
    const device = await getTestDevice();
    const avatar = await smallAvatar();
    const [w, h] = [64, 80];
    const camera = orbitCamera({ theta: 0.4, phi: 0.1, radius: 3.2, target: [0.1, -0.2, 0] }, w, h);
    const renderer = createAvatarRenderer(device, avatar, { width: w, height: h });
    const oracle = createSplatRasterizer(device, { width: w, height: h, maxGaussians: avatar.gaussians.count });
    try {
      const motion = armsDownMotion();
      for (const t of [0.3, 1.7]) {
        const { pose, trans } = sampleMotion(motion, t);
        const got = await rendererImage(device, renderer, pose, trans, camera);
        const posed = poseGaussians(avatar, { pose, trans });
        const expected = await oracle.render({ means: posed.positions, scales: posed.scales, colors: posed.colors, background: BG }, camera);
        const { max, mean } = compare(got, expected);
        let covered = 0;
        for (let i = 0; i < expected.length; i += 3) if (Math.abs(expected[i] - BG[0]) > 0.05) covered++;
        expect(covered, 'the oracle image shows the body').to.be.greaterThan(200);
        expect(mean, `mean |difference| at t = ${t}`).to.be.lessThan(2e-3);
        expect(max, `max |difference| at t = ${t}`).to.be.lessThan(0.1);
      }
    } finally {
      renderer.destroy();
      oracle.destroy();
    }
  });

  /** Counts the renderer's appearance-network runs (its private GPU network's encodeForward). */
  function countNetworkRuns(renderer: object): () => number {
    const network = (renderer as { network?: { encodeForward(encoder: GPUCommandEncoder): void } }).network;
    if (!network) throw new Error('the renderer built no GPU appearance network');
    let runs = 0;
    const run = network.encodeForward.bind(network);
    network.encodeForward = (encoder) => {
      runs++;
      run(encoder);
    };
    return () => runs;
  }

  for (const withPose of [true, false]) {
    it(`runs a trained avatar's appearance network on the GPU (${withPose ? 'pose code: again for every new pose' : 'no pose input, stage 1 only: once'}) and draws what the CPU evaluation + the rasterizer draw`, async () => {
      await trainedAvatarCase(withPose);
    });
  }

  async function trainedAvatarCase(withPose: boolean): Promise<void> {
    const device = await getTestDevice();
    const small = await smallAvatar();
    const g = small.gaussians;
    const config: AppearanceConfig = {
      featureChannels: 4, featureResolution: 8, poseCodeLength: withPose ? poseCodeLength(small.body.numJoints) : 0, hidden: [16],
      activation: 'relu', maxOffset: 0.03, minScale: 0.004, maxScale: 0.03,
    };
    // Saved weights in the architecture's format, randomised everywhere (pose-code rows included)
    // so offsets, scales and colours vary with the Gaussian and with the pose.
    const trainer = createAppearanceNetwork(device, { config, texels: g.texels, resolution: g.resolution, canonical: g.positions, trainable: true, seed: 5 });
    const network = await trainer.readWeights();
    trainer.destroy();
    const rng = makeRng(11);
    for (const [name, t] of Object.entries(network.tensors)) {
      const gain = name === 'features' ? 2 : name.endsWith('.weight') ? 1 : 0.2;
      for (let k = 0; k < t.data.length; k++) t.data[k] = gain * (rng() - 0.5);
    }
    const avatar = { ...small, network };
    const [w, h] = [64, 80];
    const camera = orbitCamera({ theta: 0.4, phi: 0.1, radius: 3.2, target: [0.1, -0.2, 0] }, w, h);
    const renderer = createAvatarRenderer(device, avatar, { width: w, height: h });
    const networkRuns = countNetworkRuns(renderer);
    const oracle = createSplatRasterizer(device, { width: w, height: h, maxGaussians: g.count });
    try {
      const motion = armsDownMotion();
      const images: Float32Array[] = [];
      for (const t of [0.3, 1.7]) {
        const { pose, trans } = sampleMotion(motion, t);
        const got = await rendererImage(device, renderer, pose, trans, camera);
        const posed = poseGaussians(avatar, { pose, trans });
        const expected = await oracle.render({ means: posed.positions, scales: posed.scales, colors: posed.colors, background: BG }, camera);
        const { max, mean } = compare(got, expected);
        console.log(`trained avatar at t = ${t}: N = ${g.count}, image |difference| max ${max.toExponential(2)}, mean ${mean.toExponential(2)}`);
        expect(mean, `mean |difference| at t = ${t}`).to.be.lessThan(2e-3);
        expect(max, `max |difference| at t = ${t}`).to.be.lessThan(0.1);
        images.push(expected);
      }
      // The network changes the picture: the untrained avatar's image differs from the trained one's.
      const { pose, trans } = sampleMotion(motion, 1.7);
      const plain = poseGaussians(small, { pose, trans });
      const untrained = await oracle.render({ means: plain.positions, scales: plain.scales, colors: plain.colors, background: BG }, camera);
      expect(compare(untrained, images[1]!).mean, 'the network changes the image').to.be.greaterThan(1e-2);
      expect(networkRuns(), 'network runs for two poses').to.equal(withPose ? 2 : 1);
    } finally {
      renderer.destroy();
      oracle.destroy();
    }
  }

  it('grows the intersection list after an overflowing frame; the next frame is complete', async () => {
    const device = await getTestDevice();
    const small = await smallAvatar();
    // Ten times the usual size: every Gaussian covers ~100 of the 256 tiles, so the frame has far
    // more intersections than the default list (max(65536, 8·N)) holds.
    const avatar = { ...small, gaussians: { ...small.gaussians, scales: small.gaussians.scales.map((s) => 10 * s) } };
    const [w, h] = [256, 256];
    const camera = orbitCamera({ theta: 0, phi: 0, radius: 3, target: [0, -0.2, 0] }, w, h);
    const renderer = createAvatarRenderer(device, avatar, { width: w, height: h });
    const oracle = createSplatRasterizer(device, { width: w, height: h, maxGaussians: avatar.gaussians.count });
    try {
      const pose = new Float32Array(72);
      const trans = new Float32Array(3);
      await rendererImage(device, renderer, pose, trans, camera);
      expect(await renderer.checkCapacity(), 'grew after the first frame').to.equal(true);
      const got = await rendererImage(device, renderer, pose, trans, camera);
      expect(await renderer.checkCapacity(), 'no growth needed any more').to.equal(false);
      const posed = poseGaussians(avatar, { pose, trans });
      const expected = await oracle.render({ means: posed.positions, scales: posed.scales, colors: posed.colors, background: BG }, camera);
      expect(compare(got, expected).mean).to.be.lessThan(2e-3);
    } finally {
      renderer.destroy();
      oracle.destroy();
    }
  });

  it('rejects bad input with typed errors', async () => {
    const device = await getTestDevice();
    const avatar = await smallAvatar();
    expect(() => createAvatarRenderer(device, null as never, { width: 8, height: 8 })).to.throw(AvatarInputError, /^avatar:/);
    expect(() => createAvatarRenderer(device, avatar, null as never)).to.throw(AvatarInputError, /^options:/);
    const badColors = { ...avatar, gaussians: { ...avatar.gaussians, colors: new Float32Array(5) } };
    expect(() => createAvatarRenderer(device, badColors, { width: 8, height: 8 })).to.throw(AvatarInputError, /^avatar\.gaussians\.colors:/);
    expect(() => createAvatarRenderer(device, avatar, { width: 0, height: 8 })).to.throw(AvatarInputError, /width/);
    const renderer = createAvatarRenderer(device, avatar, { width: 8, height: 8 });
    const target = device.createTexture({ size: [8, 8], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const camera = orbitCamera({ theta: 0, phi: 0, radius: 3, target: [0, 0, 0] }, 8, 8);
    const encoder = device.createCommandEncoder();
    expect(() => renderer.encodeFrame(encoder, target.createView(), 'rgba8unorm', { pose: new Float32Array(69), camera })).to.throw(AvatarInputError, /pose/);
    expect(() => renderer.encodeFrame(encoder, target.createView(), 'rgba8unorm', { pose: new Float32Array(72), camera: orbitCamera({ theta: 0, phi: 0, radius: 3, target: [0, 0, 0] }, 9, 8) })).to.throw(AvatarInputError, /width/);
    renderer.destroy();
    expect(() => renderer.encodeFrame(encoder, target.createView(), 'rgba8unorm', { pose: new Float32Array(72), camera })).to.throw(AvatarInputError, /destroyed/);
    target.destroy();
  });
});
