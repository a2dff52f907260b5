/// <reference types="mocha" />
/**
 * Playback side by side: our player's renderer (createAvatarRenderer, pipeline 'draw': WASM body
 * forward → GPU skinning → cull/compact → 18-bit depth sort → a triangle per splat → sRGB present, into
 * a WebGPU canvas) against the peers of peer-renderers.ts (PlayCanvas WebGPU and WebGL 2, Spark,
 * gaussian-splats-3d), on the same PLY (exportPly of the default avatar at the first frame's pose)
 * from the same camera (the rest body framed from the front), 64k and 200k Gaussians, 1280×720 and
 * 1920×1080.
 *
 * Cases: static (same camera and pose every frame), orbiting (the camera turns 0.05 rad per frame
 * about the figure), and ours animating (the idle motion advances 1/30 s per frame, static camera;
 * compared with the peers' orbiting, the case where they too must sort). Frames are interleaved:
 * each round draws one frame of every renderer and case, so load from other processes spreads
 * evenly; medians over the timed rounds after one warm-up. Peers that sort in a worker get the
 * sort for the new camera before the timed frame (as an app shows it), so their orbiting frame
 * does not include it; ours re-skins and re-sorts inside every frame.
 *
 * Printed: the table of median ms per frame; the bounding box of the figure each renderer drew in
 * the static view (and whether it matches ours within 3 % of the image); our GPU stages by
 * timestamp queries (animating; medians); our image against the training rasterizer (mean
 * |difference| in 8-bit sRGB levels); and one line per peer and case:
 *   ratio ours/<peer> <N>k <W>x<H> <case>: <ratio>
 * Never asserts speed. A peer that fails to start is reported and left out of the ratios.
 * BENCH_QUICK=1 runs 1280×720 only (both sizes of avatar).
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { srgbToLinear } from '../../src/color/srgb.js';
import { exportPly } from '../../src/avatar/ply.js';
import { createAvatarRenderer, type AvatarRenderer } from '../../src/render/avatar-renderer.js';
import { DEFAULT_FOV_Y, frameBox, orbitCamera, type Orbit } from '../../src/render/orbit-camera.js';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { isCpuAdapter } from '../../src/gpu/adapter-kind.js';
import { adapterName } from './bench-helpers.js';
import { createPeerRenderer, PEER_NAMES, type PeerName, type PeerRenderer } from './peer-renderers.js';

/** UV resolutions giving ~64k and ~200k Gaussians on the default body (N ≈ 0.62·R²). */
const RESOLUTIONS = [320, 568];
const SIZES: [number, number][] = [[1280, 720], [1920, 1080]];
const ORBIT_STEP = 0.05;
/** Display sRGB grey behind every renderer (peers: 0x1a1a1a). */
const BACKGROUND_SRGB = 0x1a / 255;

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
const frameTime = (f: number) => (f + 1) / 30;

function frontOrbit(avatar: Avatar, width: number, height: number): Orbit {
  const rest = avatar.body.forward({ pose: new Float32Array(72), betas: avatar.betas }).vertices;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < rest.length; i++) [min[i % 3], max[i % 3]] = [Math.min(min[i % 3], rest[i]), Math.max(max[i % 3], rest[i])];
  return frameBox(min, max, width / height);
}

/** Bounding box [x0, y0, x1, y1] of the pixels that differ from the background grey, read from `canvas` now. */
function figureBox(canvas: HTMLCanvasElement): [number, number, number, number] | undefined {
  const copy = document.createElement('canvas');
  [copy.width, copy.height] = [canvas.width, canvas.height];
  const ctx = copy.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(canvas, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, copy.width, copy.height);
  const bg = Math.round(255 * BACKGROUND_SRGB);
  let box: [number, number, number, number] | undefined;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      if (Math.max(Math.abs(data[o] - bg), Math.abs(data[o + 1] - bg), Math.abs(data[o + 2] - bg)) <= 24) continue;
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
    }
  }
  return box;
}

/** Our renderer on a page canvas. */
class Ours {
  readonly canvas: HTMLCanvasElement;
  readonly renderer: AvatarRenderer;
  private readonly context: GPUCanvasContext;
  private readonly format = navigator.gpu.getPreferredCanvasFormat();
  readonly stages = new Map<string, number[]>();

  constructor(private readonly device: GPUDevice, avatar: Avatar, width: number, height: number) {
    this.canvas = document.createElement('canvas');
    [this.canvas.width, this.canvas.height] = [width, height];
    this.context = this.canvas.getContext('webgpu')!;
    this.context.configure({ device, format: this.format, alphaMode: 'opaque' });
    this.renderer = createAvatarRenderer(device, avatar, { width, height, pipeline: 'draw', profile: device.features.has('timestamp-query') });
  }

  /** Encodes and submits one frame (no wait). */
  submit(time: number, camera: SplatCamera): void {
    const { pose, trans } = sampleMotion(idleMotion(), time, { loop: true });
    const encoder = this.device.createCommandEncoder();
    this.renderer.encodeFrame(encoder, this.context.getCurrentTexture().createView(), this.format, { pose, trans, camera, background: [0, 1, 2].map(() => srgbToLinear(BACKGROUND_SRGB)) });
    this.device.queue.submit([encoder.finish()]);
  }

  /** One frame, wall time from the body forward to the GPU's completion. */
  async frame(time: number, camera: SplatCamera, profile = false): Promise<number> {
    const t0 = performance.now();
    this.submit(time, camera);
    await this.device.queue.onSubmittedWorkDone();
    const ms = performance.now() - t0;
    if (profile && this.device.features.has('timestamp-query')) {
      for (const { stage, ms: stageMs } of await this.renderer.readProfile()) {
        if (!this.stages.has(stage)) this.stages.set(stage, []);
        this.stages.get(stage)!.push(stageMs);
      }
    }
    return ms;
  }

  destroy(): void {
    this.renderer.destroy();
    this.context.unconfigure();
  }
}

/** Mean |difference| in 8-bit levels between our 'draw' and 'compute' pipelines' pictures of the same frame. */
async function agreement(device: GPUDevice, avatar: Avatar, camera: SplatCamera): Promise<number> {
  const { width, height } = camera;
  const { pose, trans } = sampleMotion(idleMotion(), frameTime(0), { loop: true });
  const bytesPerRow = Math.ceil((4 * width) / 256) * 256;
  const pictures: Uint8Array[] = [];
  for (const pipeline of ['draw', 'compute'] as const) {
    const renderer = createAvatarRenderer(device, avatar, { width, height, pipeline });
    const texture = device.createTexture({ size: [width, height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
    const staging = device.createBuffer({ size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    for (let attempt = 0; attempt < 3; attempt++) {
      const encoder = device.createCommandEncoder();
      renderer.encodeFrame(encoder, texture.createView(), 'rgba8unorm', { pose, trans, camera, background: [0.01, 0.01, 0.01] });
      encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow }, [width, height]);
      device.queue.submit([encoder.finish()]);
      if (!(await renderer.checkCapacity())) break; // the compute path redraws after growing its list
    }
    await staging.mapAsync(GPUMapMode.READ);
    pictures.push(new Uint8Array(staging.getMappedRange()).slice());
    staging.destroy();
    texture.destroy();
    renderer.destroy();
  }
  let sum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) sum += Math.abs(pictures[0][y * bytesPerRow + 4 * x + c] - pictures[1][y * bytesPerRow + 4 * x + c]);
  }
  return sum / (3 * width * height);
}

describe('playback benchmark', () => {
  it('prints ours vs the peers, frame times, stages and ratios', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    const cpuAdapter = isCpuAdapter(device);
    const rounds = cpuAdapter ? 3 : 20;
    const { quick } = await executeServerCommand<{ quick: boolean }, undefined>('bench-env');
    const sizes = quick ? SIZES.filter(([width]) => width === 1280) : SIZES;
    const out: string[] = [`Playback on ${name}: median ms per finished frame, ${rounds} interleaved rounds after 1 warm-up${cpuAdapter ? ' (CPU adapter: short run)' : ''}${quick ? ' (BENCH_QUICK: 1280×720 only)' : ''}`];
    const ratioLines: string[] = [];
    for (const resolution of RESOLUTIONS) {
      const avatar = await createDefaultAvatar({ resolution });
      const n = avatar.gaussians.count;
      const label = `${Math.round(n / 1000)}k`;
      const ply = exportPly(avatar, sampleMotion(idleMotion(), frameTime(0), { loop: true }));
      for (const [width, height] of sizes) {
        const orbit = frontOrbit(avatar, width, height);
        const cameraAt = (k: number) => orbitCamera({ ...orbit, theta: orbit.theta + ORBIT_STEP * k }, width, height, DEFAULT_FOV_Y);
        const still = cameraAt(0);
        const ours = new Ours(device, avatar, width, height);
        const peers: PeerRenderer[] = [];
        for (const peer of PEER_NAMES) {
          try {
            peers.push(await createPeerRenderer(peer, ply, still));
          } catch (e) {
            out.push(`  ${peer} ${label} ${width}×${height}: failed to start (${(e as Error).message}); left out`);
          }
        }
        const times = new Map<string, number[]>();
        const add = (key: string, ms: number, timed: boolean) => {
          if (!timed) return;
          if (!times.has(key)) times.set(key, []);
          times.get(key)!.push(ms);
        };
        // Bounding boxes of the static view.
        const boxes: string[] = [];
        ours.submit(frameTime(0), still);
        const ourBox = figureBox(ours.canvas);
        await device.queue.onSubmittedWorkDone();
        boxes.push(`ours ${JSON.stringify(ourBox)}`);
        const drew = new Map<PeerName, boolean>();
        for (const peer of peers) {
          await peer.setCamera(still);
          await peer.renderFrame();
          const box = figureBox(peer.canvas);
          const tolerance = 0.03 * Math.max(width, height);
          const ok = !!box && !!ourBox && box.every((v, k) => Math.abs(v - ourBox[k]) <= tolerance);
          drew.set(peer.name, ok);
          boxes.push(`${peer.name} ${JSON.stringify(box)}${ok ? '' : ' (MISMATCH: not the same figure)'}`);
        }
        for (let r = -1; r < rounds; r++) {
          const timed = r >= 0;
          add('ours static', await ours.frame(frameTime(0), still), timed);
          add('ours orbiting', await ours.frame(frameTime(0), cameraAt(r + 1)), timed);
          add('ours animating', await ours.frame(frameTime(r + 1), still, timed), timed);
          for (const peer of peers) {
            await peer.setCamera(still);
            add(`${peer.name} static`, await peer.renderFrame(), timed);
            await peer.setCamera(cameraAt(r + 1));
            add(`${peer.name} orbiting`, await peer.renderFrame(), timed);
          }
        }
        const m = (key: string) => median(times.get(key) ?? []);
        out.push('', `${label} (N = ${n.toLocaleString('en-US')}), ${width}×${height}`, '| renderer | static | orbiting | animating |', '|---|---|---|---|');
        out.push(`| ours (WebGPU, draw pipeline) | ${fmt(m('ours static'))} | ${fmt(m('ours orbiting'))} | ${fmt(m('ours animating'))} |`);
        for (const peer of peers) out.push(`| ${peer.description} | ${fmt(m(`${peer.name} static`))} | ${fmt(m(`${peer.name} orbiting`))} | — |`);
        out.push(`figure bounding boxes (static view, [x0, y0, x1, y1]): ${boxes.join('; ')}`);
        if (ours.stages.size > 0) {
          out.push(`our GPU stages (animating, median ms): ${[...ours.stages].map(([stage, ms]) => `${stage} ${median(ms).toFixed(1)}`).join(', ')}`);
        }
        if (width === 1280) out.push(`our draw vs compute pipeline, same frame: mean |difference| ${(await agreement(device, avatar, still)).toFixed(3)} of 255 levels`);
        for (const peer of peers) {
          if (!drew.get(peer.name)) continue;
          for (const [ourCase, peerCase] of [['static', 'static'], ['orbiting', 'orbiting'], ['animating', 'orbiting']]) {
            ratioLines.push(`ratio ours/${peer.name} ${label} ${width}x${height} ${ourCase}: ${(m(`ours ${ourCase}`) / m(`${peer.name} ${peerCase}`)).toFixed(2)}`);
          }
        }
        ours.destroy();
        for (const peer of peers) await peer.dispose();
      }
      avatar.body.dispose();
    }
    console.log([...out, '', ...ratioLines].join('\n'));
  });
});
