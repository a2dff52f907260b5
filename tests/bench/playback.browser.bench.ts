/// <reference types="mocha" />
/**
 * Playback frame time: one frame of the player's path — skinning matrices (WASM body forward, CPU)
 * → GPU skinning → sort → rasterise → blit into a WebGPU canvas's texture — for the default avatar
 * at ~50k and ~200k Gaussians, at 1280×720 and 1920×1080, full body framed from the front.
 * Printed per case: CPU time to encode a frame (incl. the body forward), and wall time from the
 * start of encoding to onSubmittedWorkDone (median). Never asserts speed.
 *
 * On a CPU adapter (SwiftShader) the run is kept short: 1 warm-up + 2 timed frames per ~50k case
 * and 1 + 1 per ~200k case, instead of 1 + 20 (a frame takes seconds there).
 */
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createAvatarRenderer } from '../../src/render/avatar-renderer.js';
import { DEFAULT_FOV_Y, frameBox, orbitCamera } from '../../src/render/orbit-camera.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { getTestDevice } from '../helpers/gpu-device.js';

/** UV resolutions giving ~50k and ~200k Gaussians on the default body (N ≈ 0.62·R²). */
const AVATARS = [{ resolution: 284, cpuFrames: 2 }, { resolution: 568, cpuFrames: 1 }];
const SIZES: [number, number][] = [[1280, 720], [1920, 1080]];

function adapterName(device: GPUDevice): string {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return 'unknown adapter';
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => ms.toFixed(2);

async function benchCase(device: GPUDevice, avatar: Avatar, width: number, height: number, frames: number): Promise<{ cpu: number; wall: number }> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('webgpu')!;
  const format = navigator.gpu.getPreferredCanvasFormat();
  context.configure({ device, format, alphaMode: 'opaque' });
  const renderer = createAvatarRenderer(device, avatar, { width, height });
  const motion = idleMotion();
  const rest = avatar.body.forward({ pose: new Float32Array(72), betas: avatar.betas }).vertices;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < rest.length; i++) {
    min[i % 3] = Math.min(min[i % 3], rest[i]);
    max[i % 3] = Math.max(max[i % 3], rest[i]);
  }
  const camera = orbitCamera(frameBox(min, max, width / height), width, height, DEFAULT_FOV_Y);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let f = -1; f < frames; f++) {
    const t0 = performance.now();
    const { pose, trans } = sampleMotion(motion, (f + 1) / 30, { loop: true });
    const encoder = device.createCommandEncoder();
    renderer.encodeFrame(encoder, context.getCurrentTexture().createView(), format, { pose, trans, camera, background: [0.1, 0.1, 0.1] });
    device.queue.submit([encoder.finish()]);
    const t1 = performance.now();
    await device.queue.onSubmittedWorkDone();
    const t2 = performance.now();
    if (f === -1) {
      await renderer.checkCapacity(); // the warm-up frame sizes the intersection list
      continue;
    }
    cpu.push(t1 - t0);
    wall.push(t2 - t0);
  }
  renderer.destroy();
  context.unconfigure();
  return { cpu: median(cpu), wall: median(wall) };
}

describe('playback benchmark', () => {
  it('prints the frame time of avatar playback', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    const cpuAdapter = /swiftshader|llvmpipe|cpu/i.test(name);
    const rows: string[] = [];
    for (const { resolution, cpuFrames } of AVATARS) {
      const frames = cpuAdapter ? cpuFrames : 20;
      const avatar = await createDefaultAvatar({ resolution });
      const n = avatar.gaussians.count;
      for (const [w, h] of SIZES) {
        const { cpu, wall } = await benchCase(device, avatar, w, h, frames);
        rows.push(`| ${n.toLocaleString('en-US')} (R ${resolution}) | ${w}×${h} | ${frames} | ${fmt(wall)} | ${(1000 / wall).toFixed(1)} | ${fmt(cpu)} |`);
      }
      avatar.body.dispose();
    }
    console.log(
      [
        `Avatar playback on ${name} (median of the timed frames after 1 warm-up${cpuAdapter ? '; CPU adapter: short run, 1–2 frames' : ''})`,
        '| Gaussians | canvas | frames | frame ms (encode → GPU done) | fps | CPU encode ms (incl. body forward) |',
        '|---|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  });
});
