// Seeded random scenes and cameras for the rasterizer tests (node and browser).
import { mat4 } from 'gl-matrix';

/** mulberry32: a small seeded PRNG, so every test scene is reproducible. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Scene {
  means: Float32Array;
  scales: Float32Array;
  colors: Float32Array;
  opacities?: Float32Array;
  background?: [number, number, number];
}

export interface Camera {
  width: number;
  height: number;
  K: Float32Array;
  view: Float32Array;
  near?: number;
}

/**
 * A camera looking roughly along +z from near the origin, with a small rotation (so the view's
 * 3×3 part is not the identity) and focal length ~ the image width. `tilt` 0 gives an exactly
 * axis-aligned view (world depth = camera depth, used for the equal-depth case).
 */
export function makeCamera(width: number, height: number, tilt = 0.12): Camera {
  const f = 0.9 * width;
  const K = new Float32Array([f, 0, 0, 0, f * 1.05, 0, width / 2 + 1.3, height / 2 - 0.7, 1]);
  const view = mat4.create();
  mat4.rotate(view, view, tilt, [0.3, 1, 0.2]);
  mat4.translate(view, view, [0.05, -0.03, 0.1]);
  return { width, height, K, view: new Float32Array(view) };
}

/** World point that the camera sees at pixel (u, v) and depth z (inverts the camera exactly in f64). */
export function unproject(camera: Camera, u: number, v: number, z: number): [number, number, number] {
  const { K, view } = camera;
  const t = [((u - K[6]) / K[0]) * z, ((v - K[7]) / K[4]) * z, z];
  const inv = mat4.invert(mat4.create(), view as unknown as mat4)!;
  const p: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) p[r] = inv[r] * t[0] + inv[4 + r] * t[1] + inv[8 + r] * t[2] + inv[12 + r];
  return p;
}

export interface SceneOptions {
  count: number;
  seed: number;
  /** Depth range of the centres. */
  depth?: [number, number];
  /** σ range (world units). */
  sigma?: [number, number];
  /** Opacity range; undefined = leave opacities out (all 1). */
  opacity?: [number, number];
  /** Fraction of the image the centres may reach outside each border (0.2 = 20 % margin). */
  margin?: number;
  background?: [number, number, number];
}

/** Random Gaussians whose centres project inside the image (± margin). */
export function makeScene(camera: Camera, o: SceneOptions): Scene {
  const rng = makeRng(o.seed);
  const [z0, z1] = o.depth ?? [2, 4];
  const [s0, s1] = o.sigma ?? [0.02, 0.15];
  const margin = o.margin ?? 0.1;
  const n = o.count;
  const means = new Float32Array(3 * n);
  const scales = new Float32Array(n);
  const colors = new Float32Array(3 * n);
  const opacities = o.opacity ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const u = (-margin + (1 + 2 * margin) * rng()) * camera.width;
    const v = (-margin + (1 + 2 * margin) * rng()) * camera.height;
    means.set(unproject(camera, u, v, z0 + (z1 - z0) * rng()), 3 * i);
    scales[i] = s0 + (s1 - s0) * rng();
    colors.set([rng(), rng(), rng()], 3 * i);
    if (opacities && o.opacity) opacities[i] = o.opacity[0] + (o.opacity[1] - o.opacity[0]) * rng();
  }
  return { means, scales, colors, opacities, background: o.background };
}

/** Concatenates scenes (opacities default to 1 where a part has none). */
export function joinScenes(...parts: Scene[]): Scene {
  const n = parts.reduce((s, p) => s + p.scales.length, 0);
  const out: Scene = { means: new Float32Array(3 * n), scales: new Float32Array(n), colors: new Float32Array(3 * n), opacities: new Float32Array(n) };
  let k = 0;
  for (const p of parts) {
    const m = p.scales.length;
    out.means.set(p.means, 3 * k);
    out.scales.set(p.scales, k);
    out.colors.set(p.colors, 3 * k);
    out.opacities!.set(p.opacities ?? new Float32Array(m).fill(1), k);
    k += m;
  }
  out.background = parts.find((p) => p.background)?.background;
  return out;
}

/** Random upstream gradient H×W×3 in [−1, 1]. */
export function makeGradImage(width: number, height: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: width * height * 3 }, () => 2 * rng() - 1);
}

/** max |a − b| over all entries. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |a| over all entries. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
