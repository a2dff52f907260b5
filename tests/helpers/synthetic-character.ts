// A ground-truth character for the trainer's tests and the fidelity benchmark: the default body
// covered by its UV map (procedural clothes: shirt stripes, belt, trousers, …) plus geometry the
// body model lacks — a flared skirt of extra Gaussians skinned to the pelvis and hips, with a
// plaid texture — posed by linear blend skinning and rendered with the splat rasterizer from
// known cameras. Frames come with exact masks (the render's coverage 1 − T). Optionally its
// clothes deform with the pose (`deformingClothes`, deforming-clothes.ts), which skinning alone cannot do.
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { skinningMatrices } from '../../src/avatar/pose-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { linearToSrgb8 } from '../../src/color/srgb.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import type { TrainingCamera, TrainingFrame } from '../../src/train/dataset.js';
import { frontCamera } from './front-camera.js';
import { clothDeformation, type ClothDeformation } from './deforming-clothes.js';

export interface Character {
  avatar: Avatar;
  /** Canonical (big-pose) centres of body + skirt, M×3. */
  positions: Float32Array;
  /** Skinning weights M×J. */
  weights: Float32Array;
  scales: Float32Array;
  colors: Float32Array;
  count: number;
  /** Gaussians of the skirt (the last ones). */
  skirtCount: number;
  /** Pose-dependent canonical offsets and colours (createCharacter's `deformingClothes`); none: rigidly skinned clothes. */
  deform?: ClothDeformation;
}

/** Pelvis (0), L_hip (1), R_hip (2). */
const PELVIS = 0, LEFT_HIP = 1, RIGHT_HIP = 2;

/**
 * The default avatar at UV resolution `resolution` plus a skirt: rings from the waist
 * (y = −0.08 m) down to y = −0.42 m, radius growing from the hips' girth outwards (a 2.5 cm flare),
 * one Gaussian every ~`spacing` metres.
 */
export async function createCharacter(resolution: number, spacing = 0.02, options: { deformingClothes?: boolean } = {}): Promise<Character> {
  const avatar = await createDefaultAvatar({ resolution });
  const g = avatar.gaussians;
  const J = avatar.body.numJoints;
  // Hip girth at the waist: the body Gaussians' extent in x and z around y ≈ −0.1 (canonical).
  let rx = 0, rz = 0, cz = 0, n = 0;
  for (let i = 0; i < g.count; i++) {
    const y = g.positions[3 * i + 1]!;
    if (y > -0.14 && y < -0.06 && Math.abs(g.positions[3 * i]!) < 0.25) {
      rx = Math.max(rx, Math.abs(g.positions[3 * i]!));
      cz += g.positions[3 * i + 2]!;
      n++;
    }
  }
  cz /= Math.max(n, 1);
  for (let i = 0; i < g.count; i++) {
    const y = g.positions[3 * i + 1]!;
    if (y > -0.14 && y < -0.06 && Math.abs(g.positions[3 * i]!) < 0.25) rz = Math.max(rz, Math.abs(g.positions[3 * i + 2]! - cz));
  }
  const top = -0.08, bottom = -0.42, flare = 0.025;
  const skirt: { p: number[]; w: number[]; c: number[] }[] = [];
  for (let y = top; y >= bottom; y -= spacing) {
    const t = (top - y) / (top - bottom);
    const ax = rx + 0.012 + flare * t, az = rz + 0.012 + flare * t;
    const ring = Math.max(12, Math.round((2 * Math.PI * Math.sqrt((ax * ax + az * az) / 2)) / spacing));
    for (let k = 0; k < ring; k++) {
      const phi = (2 * Math.PI * k) / ring;
      const x = ax * Math.sin(phi), z = cz + az * Math.cos(phi);
      // Upper skirt follows the pelvis; lower rings follow the thigh on their side.
      const side = x >= 0 ? LEFT_HIP : RIGHT_HIP;
      const toHip = Math.min(1, t * 1.2) * Math.min(1, Math.abs(x) / (0.6 * ax));
      const w = new Array<number>(J).fill(0);
      w[PELVIS] = 1 - 0.8 * toHip;
      w[side] = 0.8 * toHip;
      // Plaid: red base, dark bands every 6 cm around and down.
      const band = (Math.floor((phi * ax) / 0.03) % 2) + (Math.floor((top - y) / 0.03) % 2);
      const c = band === 2 ? [0.05, 0.02, 0.02] : band === 1 ? [0.35, 0.04, 0.05] : [0.75, 0.08, 0.07];
      skirt.push({ p: [x, y, z], w, c });
    }
  }
  const S = skirt.length, N = g.count, M = N + S;
  const positions = new Float32Array(3 * M), weights = new Float32Array(J * M), scales = new Float32Array(M), colors = new Float32Array(3 * M);
  positions.set(g.positions);
  weights.set(g.weights);
  scales.set(g.scales);
  colors.set(g.colors);
  skirt.forEach((s, k) => {
    positions.set(s.p, 3 * (N + k));
    weights.set(s.w, J * (N + k));
    scales[N + k] = 0.7 * spacing;
    colors.set(s.c, 3 * (N + k));
  });
  const character: Character = { avatar, positions, weights, scales, colors, count: M, skirtCount: S };
  if (options.deformingClothes) character.deform = clothDeformation(character, { top, bottom, centreZ: cz });
  return character;
}

/** Posed centres (M×3) of the character for one pose (J×3) and translation (3): CPU linear blend skinning. */
export function poseCharacter(character: Character, pose: Float32Array, trans: Float32Array): Float32Array {
  const T = skinningMatrices(character.avatar, pose, trans);
  const J = character.avatar.body.numJoints;
  const out = new Float32Array(3 * character.count);
  const offsets = character.deform?.(pose).offsets;
  for (let i = 0; i < character.count; i++) {
    let x = character.positions[3 * i]!, y = character.positions[3 * i + 1]!, z = character.positions[3 * i + 2]!;
    if (offsets) [x, y, z] = [x + offsets[3 * i]!, y + offsets[3 * i + 1]!, z + offsets[3 * i + 2]!];
    for (let r = 0; r < 3; r++) {
      let v = 0;
      for (let j = 0; j < J; j++) {
        const w = character.weights[i * J + j]!;
        if (w === 0) continue;
        const m = 16 * j;
        v += w * (T[m + r]! * x + T[m + 4 + r]! * y + T[m + 8 + r]! * z + T[m + 12 + r]!);
      }
      out[3 * i + r] = v;
    }
  }
  return out;
}

export interface RenderedFrame extends TrainingFrame {
  image: Float32Array;
  mask: Float32Array;
}

/**
 * Renders the character for every pose (F×72 row-major) and translation (F×3) from `camera`:
 * the exact mask (coverage 1 − T) and a linear RGB image holding the person's straight colour
 * (render / mask) where the mask is non-zero and grey elsewhere, so masking is exercised and
 * image·mask is exactly the character rendered on black.
 */
export async function renderCharacter(device: GPUDevice, character: Character, camera: TrainingCamera, poses: Float32Array, trans: Float32Array): Promise<RenderedFrame[]> {
  const rasterizer = createSplatRasterizer(device, { width: camera.width, height: camera.height, maxGaussians: character.count });
  const white = new Float32Array(3 * character.count).fill(1);
  const frames: RenderedFrame[] = [];
  try {
    for (let f = 0; f < poses.length / 72; f++) {
      const pose = poses.slice(72 * f, 72 * f + 72), t = trans.slice(3 * f, 3 * f + 3);
      const means = poseCharacter(character, pose, t);
      const colors = character.deform?.(pose).colors ?? character.colors;
      const image = await rasterizer.render({ means, scales: character.scales, colors }, camera);
      const coverage = await rasterizer.render({ means, scales: character.scales, colors: white }, camera);
      const mask = new Float32Array(camera.width * camera.height);
      for (let p = 0; p < mask.length; p++) {
        const m = (mask[p] = Math.min(1, Math.max(0, coverage[3 * p]!)));
        // Straight (un-premultiplied) colour where the person is, a grey "scene" elsewhere: the
        // trainer's target m·image + (1 − m)·black is then exactly the render on black.
        for (let c = 0; c < 3; c++) image[3 * p + c] = m > 1e-3 ? Math.min(1, image[3 * p + c]! / m) : 0.5;
      }
      frames.push({ image, mask, pose, trans: t });
    }
  } finally {
    rasterizer.destroy();
  }
  return frames;
}

/**
 * The training tests' tiny clip: the character (R = 48, a skirt ring every 3 cm) in `count` frames
 * of the bundled walk, 8 motion frames apart, seen from the front at size × size.
 */
export async function tinyWalkClip(device: GPUDevice, size: number, count: number): Promise<{ character: Character; frames: RenderedFrame[]; camera: TrainingCamera }> {
  const camera = frontCamera(size, size);
  const character = await createCharacter(48, 0.03);
  const motion = await loadMotionFrames('walk', count, 8);
  return { character, camera, frames: await renderCharacter(device, character, camera, motion.poses, motion.trans) };
}

/** Frames `first`, `first + step`, … of a bundled motion (assets/motions/<name>.json), translations re-centred on frame 0's. */
export async function loadMotionFrames(name: string, count: number, step = 1, first = 0): Promise<{ poses: Float32Array; trans: Float32Array; motionFrames: number[] }> {
  const response = await fetch(new URL(`../../assets/motions/${name}.json`, import.meta.url));
  const motion = (await response.json()) as { poses: number[][]; trans: number[][]; frameCount: number };
  const poses = new Float32Array(72 * count), trans = new Float32Array(3 * count);
  const origin = motion.trans[0]!;
  const motionFrames: number[] = [];
  for (let k = 0; k < count; k++) {
    const f = (first + k * step) % motion.frameCount;
    motionFrames.push(f);
    poses.set(motion.poses[f]!, 72 * k);
    trans.set(motion.trans[f]!.map((v, c) => v - origin[c]!), 3 * k);
  }
  return { poses, trans, motionFrames };
}

/**
 * A rendered frame as the camera sees it: the character over a plain `background` (linear RGB),
 * sRGB 8-bit — what goes into the video.
 */
export function frameToImageData(frame: RenderedFrame, width: number, height: number, background: readonly number[]): ImageData {
  const out = new ImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    const m = frame.mask[p]!;
    for (let c = 0; c < 3; c++) out.data[4 * p + c] = linearToSrgb8(m * frame.image[3 * p + c]! + (1 - m) * background[c]!);
    out.data[4 * p + 3] = 255;
  }
  return out;
}

/** Index of the picture closest to `image` (sum of squared RGB byte differences) and its RMS difference. */
export function identifyFrame(image: ImageData, pictures: readonly ImageData[]): { index: number; rms: number } {
  let best = -1, bestSum = Infinity;
  pictures.forEach((p, k) => {
    if (p.width !== image.width || p.height !== image.height) return;
    let sum = 0;
    for (let e = 0; e < p.data.length; e++) {
      if ((e & 3) === 3) continue;
      const d = p.data[e]! - image.data[e]!;
      sum += d * d;
    }
    if (sum < bestSum) [best, bestSum] = [k, sum];
  });
  return { index: best, rms: Math.sqrt(bestSum / (3 * image.width * image.height)) };
}

export { frontCamera };
