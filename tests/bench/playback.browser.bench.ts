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
 *
 * Peer comparison, in the same page: @mkkellogg/gaussian-splats-3d (three.js, WebGL 2; see
 * peer-splat-viewer.ts) renders exportPly of the first timed frame's pose from the same camera,
 * as many frames; its frame = update + draw + a 1×1 readPixels (waits for the GPU). The peer draws
 * a static PLY whose depth sort ran beforehand in its worker (its sort time is printed apart);
 * ours re-skins (body forward + GPU skinning) and re-sorts every frame. ratio = ours / peer.
 */
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createAvatarRenderer } from '../../src/render/avatar-renderer.js';
import { DEFAULT_FOV_Y, frameBox, orbitCamera } from '../../src/render/orbit-camera.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { adapterName } from './bench-helpers.js';
import { exportPly } from '../../src/avatar/ply.js';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { createPeerSplatViewer } from './peer-splat-viewer.js';

/** UV resolutions giving ~50k and ~200k Gaussians on the default body (N ≈ 0.62·R²). */
const AVATARS = [{ resolution: 284, cpuFrames: 2 }, { resolution: 568, cpuFrames: 1 }];
const SIZES: [number, number][] = [[1280, 720], [1920, 1080]];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => ms.toFixed(2);

/** The camera that frames the avatar's rest body, full length, from the front. */
function frontCamera(avatar: Avatar, width: number, height: number): SplatCamera {
  const rest = avatar.body.forward({ pose: new Float32Array(72), betas: avatar.betas }).vertices;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < rest.length; i++) {
    min[i % 3] = Math.min(min[i % 3], rest[i]);
    max[i % 3] = Math.max(max[i % 3], rest[i]);
  }
  return orbitCamera(frameBox(min, max, width / height), width, height, DEFAULT_FOV_Y);
}

/** Time (s) into the idle motion of timed frame `f` (f = −1 is the warm-up). */
const frameTime = (f: number) => (f + 1) / 30;

async function benchCase(device: GPUDevice, avatar: Avatar, camera: SplatCamera, frames: number): Promise<{ cpu: number; wall: number }> {
  const { width, height } = camera;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('webgpu')!;
  const format = navigator.gpu.getPreferredCanvasFormat();
  context.configure({ device, format, alphaMode: 'opaque' });
  const renderer = createAvatarRenderer(device, avatar, { width, height });
  const motion = idleMotion();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let f = -1; f < frames; f++) {
    const t0 = performance.now();
    const { pose, trans } = sampleMotion(motion, frameTime(f), { loop: true });
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

/** The peer viewer on `ply` seen by `camera`: median frame ms over `frames` after 1 warm-up, its worker sort ms, its renderer. */
async function peerCase(ply: Uint8Array, camera: SplatCamera, frames: number): Promise<{ wall: number; sort: number; description: string }> {
  const peer = await createPeerSplatViewer(ply, camera);
  peer.renderFrame();
  const wall: number[] = [];
  for (let f = 0; f < frames; f++) wall.push(peer.renderFrame());
  const result = { wall: median(wall), sort: peer.lastSortMs, description: peer.description };
  await peer.dispose();
  return result;
}

describe('playback benchmark', () => {
  it('prints the frame time of avatar playback', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    const cpuAdapter = /swiftshader|llvmpipe|cpu/i.test(name);
    const rows: string[] = [];
    const peerRows: string[] = [];
    let peerName = '';
    for (const { resolution, cpuFrames } of AVATARS) {
      const frames = cpuAdapter ? cpuFrames : 20;
      const avatar = await createDefaultAvatar({ resolution });
      const n = avatar.gaussians.count;
      const ply = exportPly(avatar, sampleMotion(idleMotion(), frameTime(0), { loop: true }));
      for (const [w, h] of SIZES) {
        const camera = frontCamera(avatar, w, h);
        const { cpu, wall } = await benchCase(device, avatar, camera, frames);
        rows.push(`| ${n.toLocaleString('en-US')} (R ${resolution}) | ${w}×${h} | ${frames} | ${fmt(wall)} | ${(1000 / wall).toFixed(1)} | ${fmt(cpu)} |`);
        const peer = await peerCase(ply, camera, frames);
        peerName = peer.description;
        peerRows.push(`| ${n.toLocaleString('en-US')} | ${w}×${h} | ${frames} | ${fmt(wall)} | ${fmt(peer.wall)} | ${(wall / peer.wall).toFixed(2)} | ${fmt(peer.sort)} |`);
      }
      avatar.body.dispose();
    }
    console.log(
      [
        `Avatar playback on ${name} (median of the timed frames after 1 warm-up${cpuAdapter ? '; CPU adapter: short run, 1–2 frames' : ''})`,
        '| Gaussians | canvas | frames | frame ms (encode → GPU done) | fps | CPU encode ms (incl. body forward) |',
        '|---|---|---|---|---|---|',
        ...rows,
        '',
        `Peer, same page and cameras: ours (${name}, WebGPU) vs @mkkellogg/gaussian-splats-3d on ${peerName}` +
          `${cpuAdapter ? ' — CPU adapter: short run, 1–2 frames, figures are indicative only' : ''}.`,
        'Ours re-skins and re-sorts every frame; the peer draws a static PLY of the same pose, sorted beforehand in its worker.',
        '| Gaussians | canvas | frames | ours ms | peer ms (draw + readPixels) | ratio ours/peer | peer worker sort ms (not in its frame) |',
        '|---|---|---|---|---|---|---|',
        ...peerRows,
      ].join('\n'),
    );
  });
});
