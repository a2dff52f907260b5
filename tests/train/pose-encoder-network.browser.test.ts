/// <reference types="mocha" />
// The appearance network with the U-Net pose encoder (POSE_ENCODER_ARCHITECTURE): posed UV map →
// U-Net → F + pose features → MLP → heads, on the GPU, against the CPU evaluation evaluateAppearance
// uses (evaluate-pose-encoder.ts, written independently of the kernels), with random weights; its
// backward into the encoder's parameters against central finite differences of that CPU
// evaluation; the playback network from the saved tensors.
import { expect } from 'chai';
import type { Avatar } from '../../src/avatar/types.js';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { readBuffer } from '../../src/gpu/buffers.js';
import { AvatarFormatError } from '../../src/errors.js';
import { createAppearanceNetwork, createPlaybackNetwork, POSE_ENCODER_ARCHITECTURE, type AppearanceConfig, type AppearanceNetwork } from '../../src/train/appearance-network.js';
import { evaluateNetworkAppearance } from '../../src/train/evaluate-network.js';
import { posedUvLayout } from '../../src/train/posed-uv-map.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { makeRng } from '../render/splat-fixtures.js';
import { upload } from './nn-gpu-helpers.js';

function maxRelative(gpu: Float32Array, cpu: Float32Array): number {
  let worst = 0, scale = 1e-6;
  for (let k = 0; k < cpu.length; k++) scale = Math.max(scale, Math.abs(cpu[k]!));
  for (let k = 0; k < cpu.length; k++) worst = Math.max(worst, Math.abs(gpu[k]! - cpu[k]!));
  return worst / scale;
}

describe('appearance network with the U-Net pose encoder (GPU) vs CPU evaluation', () => {
  let body: BodyModel;
  before(async () => {
    body = await createDefaultBody();
  });
  after(() => body?.dispose());

  const R = 20, Rf = 16;
  const config: AppearanceConfig = {
    featureChannels: 4, featureResolution: Rf, poseCodeLength: 0, hidden: [12],
    activation: 'relu', maxOffset: 0.03, minScale: 0.002, maxScale: 0.03, poseEncoder: { widths: [4, 6], inputChannels: 3 },
  };

  /** A trainable encoder network with random weights everywhere (the encoder's zero output conv included). */
  async function randomNetwork(device: GPUDevice) {
    const map = buildUvPositionalMap(body, { resolution: R });
    const posedLayout = posedUvLayout(body, Rf);
    const network = createAppearanceNetwork(device, { config, texels: map.texels, resolution: R, canonical: map.positions, trainable: true, seed: 6, posedLayout });
    const weights = await network.readWeights();
    expect(weights.architecture).to.equal(POSE_ENCODER_ARCHITECTURE);
    const rng = makeRng(12);
    for (const [name, t] of Object.entries(weights.tensors)) {
      const gain = name === 'features' ? 1 : name.endsWith('.weight') ? (name.startsWith('unet.') ? 0.8 : 1) : 0.2;
      for (let k = 0; k < t.data.length; k++) t.data[k] = gain * (rng() - 0.5);
    }
    network.mlp.writeWeights(weights.tensors);
    network.features.write(weights.tensors.features!);
    network.encoder!.writeWeights(weights.tensors);
    const avatar = { body, betas: new Float32Array(body.numBetas), gaussians: { count: map.count, texels: map.texels, resolution: R, positions: map.positions }, network: weights } as unknown as Avatar;
    return { map, network, avatar, posedLayout };
  }

  const read = async (device: GPUDevice, b: GPUBuffer, n: number) => new Float32Array(await readBuffer(device, b, 4 * n));
  const outputs = async (device: GPUDevice, network: AppearanceNetwork, N: number) => ({
    offsets: await read(device, network.offsets, 3 * N), scales: await read(device, network.scales, N), colors: await read(device, network.colors, 3 * N),
  });

  it('forward: offsets, scales and colours agree for posed, turned bodies; the playback network gives the same', async () => {
    const device = await getTestDevice();
    const { map, network, avatar } = await randomNetwork(device);
    const N = map.count;
    const rng = makeRng(4);
    const poses = [0, 1].map(() => Float32Array.from({ length: 72 }, () => 0.8 * (rng() - 0.5)));
    const results: Float32Array[] = [];
    for (const pose of poses) {
      network.setPosedBody(body.forward({ pose, trans: [0.3, 0.1, -2] }));
      await expectNoGpuError(device, async () => {
        const encoder = device.createCommandEncoder();
        network.encodeForward(encoder);
        device.queue.submit([encoder.finish()]);
      });
      const gpu = await outputs(device, network, N);
      const cpu = evaluateNetworkAppearance(avatar, pose);
      const errors = { offsets: maxRelative(gpu.offsets, cpu.offsets), scales: maxRelative(gpu.scales, cpu.scales), colors: maxRelative(gpu.colors, cpu.colors) };
      console.log(`pose-encoder network: N = ${N}, max relative error`, errors);
      for (const [field, error] of Object.entries(errors)) expect(error, field).to.be.below(1e-4);
      results.push(gpu.colors);
    }
    // The pose reaches the outputs (two poses, different colours).
    expect(maxRelative(results[0]!, results[1]!)).to.be.above(1e-3);
    // A playback network from the saved tensors gives the same outputs.
    const saved = await network.readWeights();
    const playback = createPlaybackNetwork(device, { ...avatar, network: saved });
    const posed = body.forward({ pose: poses[1]! });
    network.setPosedBody(posed);
    playback.setPosedBody(posed);
    const encoder = device.createCommandEncoder();
    network.encodeForward(encoder);
    playback.encodeForward(encoder);
    device.queue.submit([encoder.finish()]);
    expect(maxRelative(await read(device, playback.colors, 3 * N), await read(device, network.colors, 3 * N))).to.equal(0);
    const { 'unet.conv0.weight': _dropped, ...withoutEncoder } = saved.tensors;
    expect(() => createPlaybackNetwork(device, { ...avatar, network: { ...saved, tensors: withoutEncoder } })).to.throw(AvatarFormatError, /unet\.conv0\.weight/);
    network.destroy();
    playback.destroy();
  });

  it('backward: ∂L/∂(encoder parameters) matches central finite differences of the CPU evaluation', async () => {
    const device = await getTestDevice();
    const { map, network, avatar } = await randomNetwork(device);
    const N = map.count;
    const rng = makeRng(21);
    const pose = Float32Array.from({ length: 72 }, () => 0.8 * (rng() - 0.5));
    // L = Σ gO·offsets + gS·scales + gC·colors with fixed random g.
    const gO = Float32Array.from({ length: 3 * N }, () => rng() - 0.5), gS = Float32Array.from({ length: N }, () => 20 * (rng() - 0.5)), gC = Float32Array.from({ length: 3 * N }, () => rng() - 0.5);
    const loss = () => {
      const a = evaluateNetworkAppearance(avatar, pose);
      let L = 0;
      for (let k = 0; k < 3 * N; k++) L += gO[k]! * a.offsets[k]! + gC[k]! * a.colors[k]!;
      for (let k = 0; k < N; k++) L += gS[k]! * a.scales[k]!;
      return L;
    };
    network.setPosedBody(body.forward({ pose }));
    const [gradOffsets, gradScales, gradColors] = [gO, gS, gC].map((g) => upload(device, g));
    await expectNoGpuError(device, async () => {
      const encoder = device.createCommandEncoder();
      network.encodeForward(encoder);
      network.encodeBackward(encoder, { gradOffsets: gradOffsets!, gradScales: gradScales!, gradColors: gradColors!, trainFeatures: false });
      device.queue.submit([encoder.finish()]);
    });
    const groups = network.encoder!.parameters;
    let checked = 0;
    for (const [k, entries] of [[0, [5, 40]], [1, [17]], [2, [3, 60]], [3, [2, 9]]] as [number, number[]][]) {
      const grad = await read(device, groups[k]!.grad, groups[k]!.count);
      const weight = avatar.network!.tensors[`unet.conv${k}.weight`]!.data;
      for (const e of entries) {
        const original = weight[e]!;
        const eps = 2e-3;
        weight[e] = original + eps;
        const plus = loss();
        weight[e] = original - eps;
        const minus = loss();
        weight[e] = original;
        const fd = (plus - minus) / (2 * eps);
        expect(Math.abs(grad[e]! - fd), `unet.conv${k}.weight[${e}]: analytic ${grad[e]}, finite difference ${fd}`).to.be.below(2e-3 + 0.03 * Math.abs(fd));
        if (Math.abs(fd) > 1e-3) checked++;
      }
    }
    expect(checked, 'entries with a non-negligible gradient').to.be.at.least(4);
    network.destroy();
    for (const b of [gradOffsets, gradScales, gradColors]) b!.destroy();
  });
});
