// Plain f64 twins of the playback drawer's kernels (src/render/splat-drawer.ts), the oracles of
// its tests, written the obvious way:
//   project_splats_for_draw → twinProjectForDraw (the rasterizer twin's projection, visible only)
//   scan_visible_chunks     → twinScanVisibleChunks
//   write_depth_keys        → twinDepthKeys (keys of the visible, in index order = compact order)
//   draw_splats             → twinDrawSplats (per pixel, every triangle covering its centre, in draw order)
//   present_splat_image     → twinPresent
import { linearToSrgb } from '../../src/color/srgb.js';
import { twinProject, type TwinCamera, type TwinScene } from './raster-twin.js';

const ALPHA_MAX = 0.99;
const ALPHA_MIN = 1 / 255;
const POWER_SKIP = -5.6;
const DEPTH_KEY_MAX = 262143;
const VISIBLE_CHUNK = 128;

/** One visible splat as the drawer records it. */
export interface TwinDrawSplat {
  index: number;
  u: number;
  v: number;
  radius: number;
  depth: number;
  A: number;
  B: number;
  C: number;
  opacity: number;
  color: [number, number, number];
}

/** The visible splats, in input order (the GPU's compaction order is arbitrary). */
export function twinProjectForDraw(scene: TwinScene, camera: TwinCamera): TwinDrawSplat[] {
  return twinProject(scene, camera).flatMap((p, index) => p.visible
    ? [{ index, u: p.u, v: p.v, radius: p.radius, depth: p.depth, A: p.A, B: p.B, C: p.C, opacity: p.opacity,
      color: [scene.colors[3 * index], scene.colors[3 * index + 1], scene.colors[3 * index + 2]] as [number, number, number] }]
    : []);
}

/** Each chunk of 128 Gaussians' first compact slot (visible ones in earlier chunks), and the visible count. */
export function twinScanVisibleChunks(visible: ArrayLike<number>): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (let i = 0; i < visible.length; i++) {
    if (i % VISIBLE_CHUNK === 0) offsets.push(total);
    total += visible[i];
  }
  return { offsets, total };
}

/** 18-bit keys: floor((z − lo) / (hi − lo) · 262143) over the depths' own range (0 when hi = lo). */
export function twinDepthKeys(depths: ArrayLike<number>): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < depths.length; i++) [lo, hi] = [Math.min(lo, depths[i]), Math.max(hi, depths[i])];
  return Array.from(depths, (z) => (hi > lo ? Math.floor(Math.min(DEPTH_KEY_MAX, Math.max(0, ((z - lo) / (hi - lo)) * DEPTH_KEY_MAX))) : 0));
}

/** Front-to-back draw order: ascending key, ties in the given order (the radix sort is stable). */
export function twinDrawOrder(keys: number[]): number[] {
  return [...keys.keys()].sort((a, b) => keys[a] - keys[b] || a - b);
}

/**
 * draw_splats' triangle of a splat as the frame of its α = 1/255 ellipse: the unit major axis and
 * the semi-axes sqrt(2·ln(255·o)·λ) (λ the eigenvalues of Σ' = conic⁻¹); the triangle is the
 * equilateral one around the circle of radius 1.02, (±1.7667, −1.02), (0, 2.04), in that frame.
 */
export function twinSplatEllipse(s: TwinDrawSplat): { major: [number, number]; a: number; b: number } {
  const det = s.A * s.C - s.B * s.B;
  const [ca, cb, cc] = [s.C / det, -s.B / det, s.A / det];
  const mid = (ca + cc) / 2;
  const r = Math.hypot((ca - cc) / 2, cb);
  const angle = Math.atan2(2 * cb, ca - cc) / 2;
  const reach = Math.max(0, 2 * Math.log(255 * s.opacity));
  return { major: [Math.cos(angle), Math.sin(angle)], a: Math.sqrt(reach * (mid + r)), b: Math.sqrt(reach * Math.max(0, mid - r)) };
}

/** Is the offset (dx, dy) from the mean strictly inside the splat's triangle? */
function insideTriangle({ major, a, b }: ReturnType<typeof twinSplatEllipse>, dx: number, dy: number): boolean {
  if (!(a > 0 && b > 0)) return false;
  const x = (dx * major[0] + dy * major[1]) / a;
  const y = (-dx * major[1] + dy * major[0]) / b;
  // The three edges, each at distance 1.02 from the centre (the incircle).
  const r = 1.02;
  return -y < r && (Math.sqrt(3) * x + y) / 2 < r && (-Math.sqrt(3) * x + y) / 2 < r;
}

/**
 * The blended target: per pixel (centre (px + 0.5, py + 0.5)), every splat of `ordered` whose
 * triangle (twinSplatEllipse) contains the centre, front to back: H×W×4, premultiplied
 * (Σ cᵢαᵢTᵢ, 1 − T_final).
 */
export function twinDrawSplats(ordered: TwinDrawSplat[], width: number, height: number): Float64Array {
  const out = new Float64Array(width * height * 4);
  const ellipses = ordered.map(twinSplatEllipse);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const x = px + 0.5;
      const y = py + 0.5;
      let T = 1;
      const rgb = [0, 0, 0];
      for (const [k, s] of ordered.entries()) {
        const dx = x - s.u;
        const dy = y - s.v;
        if (!insideTriangle(ellipses[k], dx, dy)) continue;
        const power = -0.5 * (s.A * dx * dx + s.C * dy * dy) - s.B * dx * dy;
        if (power > 0 || power < POWER_SKIP) continue;
        const alpha = Math.min(ALPHA_MAX, s.opacity * Math.exp(power));
        if (alpha < ALPHA_MIN) continue;
        for (let c = 0; c < 3; c++) rgb[c] += s.color[c] * alpha * T;
        T *= 1 - alpha;
      }
      out.set([rgb[0], rgb[1], rgb[2], 1 - T], 4 * (py * width + px));
    }
  }
  return out;
}

/** C + T·bg per pixel (linear, H×W×3), and its sRGB encoding when `srgb`. */
export function twinPresent(drawn: Float64Array, background: ArrayLike<number>, srgb: boolean): Float64Array {
  const pixels = drawn.length / 4;
  const out = new Float64Array(3 * pixels);
  for (let p = 0; p < pixels; p++) {
    const T = 1 - drawn[4 * p + 3];
    for (let c = 0; c < 3; c++) {
      const linear = drawn[4 * p + c] + T * background[c];
      out[3 * p + c] = srgb ? linearToSrgb(linear) : linear;
    }
  }
  return out;
}

/** The whole drawer in f64: the presented linear image (H×W×3) of `scene`. */
export function twinDraw(scene: TwinScene, camera: TwinCamera): Float64Array {
  const visible = twinProjectForDraw(scene, camera);
  const order = twinDrawOrder(twinDepthKeys(visible.map((s) => s.depth)));
  const drawn = twinDrawSplats(order.map((k) => visible[k]), camera.width, camera.height);
  return twinPresent(drawn, scene.background ?? [0, 0, 0], false);
}
