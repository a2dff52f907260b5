// Shared by the player tests: a small avatar, short motions, and the expected silhouette box of
// the posed body in the player's camera (computed here from the body model, not from the player).
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import type { Motion } from '../../src/motion/types.js';
import { orbitCamera } from '../../src/render/orbit-camera.js';
import type { CanvasPixels, PlayerState } from '../../src/player/player-types.js';
import type { Player, PlayerEventDetail } from '../../src/player/create-player.js';

/** Small canvases: SwiftShader renders on 2 CPU cores. */
export const WIDTH = 96;
export const HEIGHT = 128;
/** A background no avatar colour matches exactly (pure green). */
export const BACKGROUND = [0, 1, 0];

let cached: Promise<Avatar> | undefined;

/** The default avatar at a low UV resolution (~1 000 Gaussians), made once per test file. */
export function smallAvatar(): Promise<Avatar> {
  cached ??= createDefaultAvatar({ resolution: 40 });
  return cached;
}

/**
 * Two-second motion at 10 fps, frames 0…19: the arms swing from the T-pose (frame 0) down to the
 * sides (frame 19) and the body steps 0.3 m to its left (+x), so different times look different.
 */
export function armsDownMotion(): Motion {
  const F = 20;
  const poses = new Float32Array(F * 72);
  const trans = new Float32Array(F * 3);
  for (let f = 0; f < F; f++) {
    const a = (1.3 * f) / (F - 1);
    poses[f * 72 + 16 * 3 + 2] = -a; // left shoulder about z: arm down
    poses[f * 72 + 17 * 3 + 2] = a;
    trans[f * 3] = (0.3 * f) / (F - 1);
  }
  return { fps: 10, frameCount: F, poses, trans, source: 'json' };
}

/** Pixel box [minX, minY, maxX, maxY] (inclusive) of the posed body's vertices at `state`'s time, widened by `margin` pixels. */
export function silhouetteBox(avatar: Avatar, motion: Motion, state: PlayerState, margin: number): [number, number, number, number] {
  const { pose, trans } = sampleMotion(motion, state.currentTime, { loop: state.loop });
  const { vertices } = avatar.body.forward({ pose, trans, betas: avatar.betas });
  const camera = orbitCamera(state.orbit, state.width, state.height, state.fovY);
  const v = camera.view;
  const K = camera.K;
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < vertices.length; i += 3) {
    const [x, y, z] = [vertices[i], vertices[i + 1], vertices[i + 2]];
    const cx = v[0] * x + v[4] * y + v[8] * z + v[12];
    const cy = v[1] * x + v[5] * y + v[9] * z + v[13];
    const cz = v[2] * x + v[6] * y + v[10] * z + v[14];
    const u = (K[0] * cx) / cz + K[6];
    const w = (K[4] * cy) / cz + K[7];
    box[0] = Math.min(box[0], u);
    box[1] = Math.min(box[1], w);
    box[2] = Math.max(box[2], u);
    box[3] = Math.max(box[3], w);
  }
  return [Math.floor(box[0] - margin), Math.floor(box[1] - margin), Math.ceil(box[2] + margin), Math.ceil(box[3] + margin)];
}

/** Pixels margin for the Gaussians' extent around the surface: 3σ_max at the nearest depth. */
export function splatMargin(avatar: Avatar, state: PlayerState): number {
  let sigma = 0;
  for (const s of avatar.gaussians.scales) sigma = Math.max(sigma, s);
  const f = state.height / 2 / Math.tan(state.fovY / 2);
  return Math.ceil((3 * sigma * f) / (state.orbit.radius - 1)) + 2;
}

/** Whether pixel (x, y) differs from the background colour by more than 8/255 in some channel. */
export function isForeground(pixels: CanvasPixels, x: number, y: number, background = BACKGROUND): boolean {
  const i = 4 * (y * pixels.width + x);
  for (let c = 0; c < 3; c++) if (Math.abs(pixels.data[i + c] - background[c] * 255) > 8) return true;
  return false;
}

/** Foreground pixels inside and outside `box`. */
export function countForeground(pixels: CanvasPixels, box: [number, number, number, number]): { inside: number; outside: number; boxArea: number } {
  let inside = 0;
  let outside = 0;
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      if (!isForeground(pixels, x, y)) continue;
      if (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]) inside++;
      else outside++;
    }
  }
  const cw = Math.max(0, Math.min(pixels.width - 1, box[2]) - Math.max(0, box[0]) + 1);
  const ch = Math.max(0, Math.min(pixels.height - 1, box[3]) - Math.max(0, box[1]) + 1);
  return { inside, outside, boxArea: cw * ch };
}

/** A canvas of WIDTH×HEIGHT attached to the page. */
export function makeCanvas(width = WIDTH, height = HEIGHT): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  document.body.appendChild(canvas);
  return canvas;
}

/** Resolves with the next event of `type` (rejects after `ms`). */
export function nextEvent<T extends Event>(target: EventTarget, type: string, ms = 120000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' event within ${ms} ms`)), ms);
    target.addEventListener(type, (e) => {
      clearTimeout(timer);
      resolve(e as T);
    }, { once: true });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects a player's 'error' events (cancelled, so none reaches the console as unhandled). */
export function collectErrors(player: Player): Error[] {
  const errors: Error[] = [];
  player.addEventListener('error', (e) => {
    errors.push((e as CustomEvent<PlayerEventDetail>).detail.error!);
    e.preventDefault();
  });
  return errors;
}
