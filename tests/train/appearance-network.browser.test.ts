// The GPU appearance network (features → MLP → heads → displace) against the CPU evaluation that
// evaluateAppearance uses for trained avatars (an independent f64 implementation), with random
// weights, a non-zero pose code, and the stage-1 zero code; plus the save/restore of its weights.
import { expect } from 'chai';
import type { Avatar } from '../../src/avatar/types.js';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { readBuffer } from '../../src/gpu/buffers.js';
import { AvatarFormatError } from '../../src/errors.js';
import { createAppearanceNetwork, createPlaybackNetwork, type AppearanceConfig } from '../../src/train/appearance-network.js';
import { evaluateNetworkAppearance } from '../../src/train/evaluate-network.js';
import { poseCode, poseCodeLength } from '../../src/train/pose-code.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { makeRng } from '../render/splat-fixtures.js';

function maxRelative(gpu: Float32Array, cpu: Float32Array): number {
  let worst = 0, scale = 1e-6;
  for (let k = 0; k < cpu.length; k++) scale = Math.max(scale, Math.abs(cpu[k]!));
  for (let k = 0; k < cpu.length; k++) worst = Math.max(worst, Math.abs(gpu[k]! - cpu[k]!));
  return worst / scale;
}

describe('appearance network (GPU) vs CPU evaluation', () => {
  let body: BodyModel;
  before(async () => {
    body = await createDefaultBody();
  });
  after(() => body?.dispose());

  it('offsets, scales, colours and displaced centres agree, with and without a pose code', async () => {
    const device = await getTestDevice();
    const R = 20;
    const map = buildUvPositionalMap(body, { resolution: R });
    const N = map.count;
    const config: AppearanceConfig = {
      featureChannels: 5, featureResolution: 12, poseCodeLength: poseCodeLength(24), hidden: [16, 12],
      activation: 'relu', maxOffset: 0.03, minScale: 0.002, maxScale: 0.03,
    };
    const network = createAppearanceNetwork(device, { config, texels: map.texels, resolution: R, canonical: map.positions, trainable: true, seed: 4 });
    // Random weights everywhere, the pose-code rows (zero at creation) included, and larger
    // features than the initialisation's, so every output varies over the Gaussians.
    const weights = await network.readWeights();
    const rng = makeRng(8);
    for (const [name, t] of Object.entries(weights.tensors)) {
      const gain = name === 'features' ? 2 : name.endsWith('.weight') ? 1 : 0.2;
      for (let k = 0; k < t.data.length; k++) t.data[k] = gain * (rng() - 0.5);
    }
    network.mlp.writeWeights(weights.tensors);
    network.features.write(weights.tensors.features!);
    const avatar = { body, gaussians: { count: N, texels: map.texels, resolution: R }, network: weights } as unknown as Avatar;

    const rngPose = makeRng(3);
    const pose = Float32Array.from({ length: 72 }, () => rngPose() - 0.5);
    for (const code of [poseCode(pose, 24), null]) {
      network.setPoseCode(code);
      await expectNoGpuError(device, async () => {
        const encoder = device.createCommandEncoder();
        network.encodeForward(encoder);
        device.queue.submit([encoder.finish()]);
      });
      const read = async (b: GPUBuffer, n: number) => new Float32Array(await readBuffer(device, b, 4 * n));
      const gpu = { offsets: await read(network.offsets, 3 * N), scales: await read(network.scales, N), colors: await read(network.colors, 3 * N), displaced: await read(network.displaced, 3 * N) };
      const cpu = evaluateNetworkAppearance(avatar, code ? pose : new Float32Array(72));
      const errors = { offsets: maxRelative(gpu.offsets, cpu.offsets), scales: maxRelative(gpu.scales, cpu.scales), colors: maxRelative(gpu.colors, cpu.colors) };
      console.log(`appearance network ${code ? 'pose code' : 'zero code'}: N = ${N}, max relative error`, errors);
      for (const [field, error] of Object.entries(errors)) expect(error, field).to.be.below(1e-4);
      // The outputs vary over the Gaussians (the test is not comparing constants).
      expect(Math.max(...gpu.colors) - Math.min(...gpu.colors)).to.be.above(0.1);
      expect(Math.max(...gpu.offsets) - Math.min(...gpu.offsets)).to.be.above(0.01);
      const displaced = Float32Array.from(map.positions, (p, k) => p + cpu.offsets[k]!);
      expect(maxRelative(gpu.displaced, displaced)).to.be.below(1e-5);
    }
    // A playback network from the saved tensors gives the same outputs.
    const saved = await network.readWeights();
    const playback = createPlaybackNetwork(device, { body, gaussians: { count: N, texels: map.texels, resolution: R, positions: map.positions }, network: saved } as unknown as Avatar);
    network.setPoseCode(null);
    playback.setPoseCode(null);
    const encoder = device.createCommandEncoder();
    network.encodeForward(encoder);
    playback.encodeForward(encoder);
    device.queue.submit([encoder.finish()]);
    const a = new Float32Array(await readBuffer(device, network.colors, 12 * N));
    const b = new Float32Array(await readBuffer(device, playback.colors, 12 * N));
    expect(maxRelative(b, a)).to.equal(0);
    expect(() => createAppearanceNetwork(device, { config, texels: map.texels, resolution: R, canonical: map.positions, trainable: false, tensors: {} })).to.throw(AvatarFormatError, /network\.tensors\.features/);
    network.destroy();
    playback.destroy();
  });
});
