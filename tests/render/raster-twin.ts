// Plain f64 twin of the WGSL splat rasterizer (forward and analytic backward), the oracle of
// the rasterizer tests. It follows wgsl/helpers/splat_frame.wgsl, wgsl/project_gaussians.wgsl,
// wgsl/rasterize_forward.wgsl line for line in meaning, but is written the obvious way: per
// pixel, walk the pixel's tile list front to back, remember every contributor, then
// differentiate the compositing sum directly (not by the GPU's back-to-front recursion).

export const TILE = 16;
const EWA_BLUR = 0.3;
const ALPHA_MAX = 0.99;
const ALPHA_MIN = 1 / 255;
const T_MIN = 1e-4;
const CLAMP_MARGIN = 0.15;
export const DEFAULT_NEAR = 0.01;

export interface TwinScene {
  means: ArrayLike<number>; // N×3
  scales: ArrayLike<number>; // N
  colors: ArrayLike<number>; // N×3
  opacities?: ArrayLike<number>; // N, default 1
  background?: ArrayLike<number>; // 3, default 0
}

export interface TwinCamera {
  width: number;
  height: number;
  K: ArrayLike<number>; // 3×3 column-major
  view: ArrayLike<number>; // 4×4 column-major world→camera
  near?: number;
}

type Vec3 = [number, number, number];

/** Projection of one Gaussian, with what the backward needs. */
interface Projected {
  visible: boolean;
  u: number;
  v: number;
  A: number;
  B: number;
  C: number;
  opacity: number;
  depth: number;
  radius: number; // ceil(3·sqrt(λmax)) pixels
  rect: [number, number, number, number]; // tiles [x0, y0, x1, y1)
  t: Vec3; // camera-space centre
  m0: Vec3; // rows of M = J·W
  m1: Vec3;
  cov: Vec3; // (a, b, c)
}

interface Setup {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  W: number[][]; // W[r][c], 3×3 part of view
  tr: Vec3;
  lo: [number, number];
  hi: [number, number];
  near: number;
  tilesX: number;
  tilesY: number;
}

function setup(camera: TwinCamera): Setup {
  const K = camera.K;
  const V = camera.view;
  const [fx, fy, cx, cy] = [K[0], K[4], K[6], K[7]];
  const w = camera.width;
  const h = camera.height;
  return {
    fx, fy, cx, cy,
    W: [0, 1, 2].map((r) => [0, 1, 2].map((c) => V[4 * c + r])),
    tr: [V[12], V[13], V[14]],
    lo: [(-cx - CLAMP_MARGIN * w) / fx, (-cy - CLAMP_MARGIN * h) / fy],
    hi: [((1 + CLAMP_MARGIN) * w - cx) / fx, ((1 + CLAMP_MARGIN) * h - cy) / fy],
    near: camera.near ?? DEFAULT_NEAR,
    tilesX: Math.ceil(w / TILE),
    tilesY: Math.ceil(h / TILE),
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Row vector j times W. */
function rowTimesW(j: Vec3, W: number[][]): Vec3 {
  return [0, 1, 2].map((c) => j[0] * W[0][c] + j[1] * W[1][c] + j[2] * W[2][c]) as Vec3;
}

function project(s: Setup, mean: Vec3, sigma: number, opacity: number): Projected {
  const t = [0, 1, 2].map((r) => s.W[r][0] * mean[0] + s.W[r][1] * mean[1] + s.W[r][2] * mean[2] + s.tr[r]) as Vec3;
  const hidden: Projected = { visible: false, u: 0, v: 0, A: 0, B: 0, C: 0, opacity, depth: t[2], radius: 0, rect: [0, 0, 0, 0], t, m0: [0, 0, 0], m1: [0, 0, 0], cov: [0, 0, 0] };
  if (!(t[2] >= s.near)) return hidden;
  const z = t[2];
  const txz = clamp(t[0] / z, s.lo[0], s.hi[0]);
  const tyz = clamp(t[1] / z, s.lo[1], s.hi[1]);
  const m0 = rowTimesW([s.fx / z, 0, (-s.fx * txz) / z], s.W);
  const m1 = rowTimesW([0, s.fy / z, (-s.fy * tyz) / z], s.W);
  const s2 = sigma * sigma;
  const cov: Vec3 = [s2 * dot(m0, m0) + EWA_BLUR, s2 * dot(m0, m1), s2 * dot(m1, m1) + EWA_BLUR];
  const det = cov[0] * cov[2] - cov[1] * cov[1];
  if (!(det > 0)) return hidden;
  const u = (s.fx * t[0]) / z + s.cx;
  const v = (s.fy * t[1]) / z + s.cy;
  const mid = 0.5 * (cov[0] + cov[2]);
  const radius = Math.ceil(3 * Math.sqrt(mid + Math.sqrt(Math.max(0.1, mid * mid - det))));
  const rect: [number, number, number, number] = [
    clamp(Math.floor((u - radius) / TILE), 0, s.tilesX),
    clamp(Math.floor((v - radius) / TILE), 0, s.tilesY),
    clamp(Math.floor((u + radius) / TILE) + 1, 0, s.tilesX),
    clamp(Math.floor((v + radius) / TILE) + 1, 0, s.tilesY),
  ];
  if (rect[2] <= rect[0] || rect[3] <= rect[1]) return hidden;
  return { visible: true, u, v, A: cov[2] / det, B: -cov[1] / det, C: cov[0] / det, opacity, depth: z, radius, rect, t, m0, m1, cov };
}

/** One Gaussian's part in one pixel. */
interface Contribution {
  g: number;
  alpha: number;
  clamped: boolean; // o·G > 0.99: α does not depend on o or G there
  G: number;
  T: number; // transmittance in front of it
  dx: number;
  dy: number;
}

interface ForwardResult {
  image: Float64Array;
  projected: Projected[];
  /** Per pixel: contributors front to back and T_final. */
  pixels: { list: Contribution[]; finalT: number }[];
}

function forward(scene: TwinScene, camera: TwinCamera): ForwardResult {
  const s = setup(camera);
  const n = scene.scales.length;
  const projected: Projected[] = [];
  for (let i = 0; i < n; i++) {
    const mean: Vec3 = [scene.means[3 * i], scene.means[3 * i + 1], scene.means[3 * i + 2]];
    projected.push(project(s, mean, scene.scales[i], scene.opacities ? scene.opacities[i] : 1));
  }
  // Front to back by view depth as the GPU sorts it (f32 key), ties by index.
  const order = [...Array(n).keys()].filter((i) => projected[i].visible);
  order.sort((a, b) => Math.fround(projected[a].depth) - Math.fround(projected[b].depth) || a - b);
  const bg = scene.background ?? [0, 0, 0];
  const { width, height } = camera;
  const image = new Float64Array(width * height * 3);
  const pixels: ForwardResult['pixels'] = [];
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const tx = Math.floor(px / TILE);
      const ty = Math.floor(py / TILE);
      let T = 1;
      const rgb = [0, 0, 0];
      const list: Contribution[] = [];
      for (const g of order) {
        const p = projected[g];
        if (tx < p.rect[0] || tx >= p.rect[2] || ty < p.rect[1] || ty >= p.rect[3]) continue;
        const dx = px + 0.5 - p.u;
        const dy = py + 0.5 - p.v;
        const power = -0.5 * (p.A * dx * dx + p.C * dy * dy) - p.B * dx * dy;
        if (power > 0) continue;
        const G = Math.exp(power);
        const raw = p.opacity * G;
        const alpha = Math.min(ALPHA_MAX, raw);
        if (alpha < ALPHA_MIN) continue;
        const nextT = T * (1 - alpha);
        if (nextT < T_MIN) break;
        for (let c = 0; c < 3; c++) rgb[c] += scene.colors[3 * g + c] * alpha * T;
        list.push({ g, alpha, clamped: raw > ALPHA_MAX, G, T, dx, dy });
        T = nextT;
      }
      const o = 3 * (py * width + px);
      for (let c = 0; c < 3; c++) image[o + c] = rgb[c] + T * bg[c];
      pixels.push({ list, finalT: T });
    }
  }
  return { image, projected, pixels };
}

/** Gaussian i's projection as project_gaussians.wgsl computes it (visible = listed in some tile). */
export type TwinProjection = Pick<Projected, 'visible' | 'u' | 'v' | 'A' | 'B' | 'C' | 'opacity' | 'depth' | 'radius'>;

/** Every Gaussian's projection, in input order. */
export function twinProject(scene: TwinScene, camera: TwinCamera): TwinProjection[] {
  const s = setup(camera);
  return Array.from(scene.scales, (sigma, i) =>
    project(s, [scene.means[3 * i], scene.means[3 * i + 1], scene.means[3 * i + 2]], sigma, scene.opacities ? scene.opacities[i] : 1));
}

/** The image, H×W×3 row-major, top row first. */
export function twinRender(scene: TwinScene, camera: TwinCamera): Float64Array {
  return forward(scene, camera).image;
}

export interface TwinGradients {
  image: Float64Array;
  means: Float64Array;
  scales: Float64Array;
  colors: Float64Array;
  opacities: Float64Array;
  /** Per Gaussian ∂L/∂(u, v, A, B, C): the image-space gradients (for debugging). */
  image2d: Float64Array;
}

/** Analytic gradients of L = Σ gradImage·image. */
export function twinGradients(scene: TwinScene, camera: TwinCamera, gradImage: ArrayLike<number>): TwinGradients {
  const s = setup(camera);
  const { image, projected, pixels } = forward(scene, camera);
  const n = scene.scales.length;
  const bg = scene.background ?? [0, 0, 0];
  const dColors = new Float64Array(3 * n);
  const dOpacities = new Float64Array(n);
  const d2 = new Float64Array(5 * n); // u, v, A, B, C

  pixels.forEach(({ list, finalT }, pix) => {
    const g3 = [gradImage[3 * pix], gradImage[3 * pix + 1], gradImage[3 * pix + 2]];
    const bgDot = bg[0] * g3[0] + bg[1] * g3[1] + bg[2] * g3[2];
    // C = Σ_k c_k α_k T_k + T_final·bg with T_k = Π_{i<k}(1 − α_i):
    // ∂C/∂α_j = c_j T_j − (Σ_{k>j} c_k α_k T_k + T_final·bg) / (1 − α_j).
    let behind = finalT * bgDot; // (Σ_{k>j} c_k α_k T_k + T_final·bg)·gradPixel
    for (let j = list.length - 1; j >= 0; j--) {
      const { g, alpha, clamped, G, T, dx, dy } = list[j];
      const cDot = scene.colors[3 * g] * g3[0] + scene.colors[3 * g + 1] * g3[1] + scene.colors[3 * g + 2] * g3[2];
      for (let c = 0; c < 3; c++) dColors[3 * g + c] += alpha * T * g3[c];
      const dAlpha = cDot * T - behind / (1 - alpha);
      behind += cDot * alpha * T;
      if (clamped) continue;
      const p = projected[g];
      dOpacities[g] += G * dAlpha;
      const dPower = p.opacity * G * dAlpha;
      // power = −½(A dx² + C dy²) − B dx dy with (dx, dy) = pixel centre − (u, v)
      d2[5 * g] += (p.A * dx + p.B * dy) * dPower;
      d2[5 * g + 1] += (p.C * dy + p.B * dx) * dPower;
      d2[5 * g + 2] += -0.5 * dx * dx * dPower;
      d2[5 * g + 3] += -dx * dy * dPower;
      d2[5 * g + 4] += -0.5 * dy * dy * dPower;
    }
  });

  const dMeans = new Float64Array(3 * n);
  const dScales = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = projected[i];
    if (!p.visible) continue;
    const [du, dv, dA, dB, dC] = d2.subarray(5 * i, 5 * i + 5);
    // conic (A, B, C) = (c, −b, a)/det with det = a·c − b².
    const [a, b, c] = p.cov;
    const det = a * c - b * b;
    const dDet = -(dA * c - dB * b + dC * a) / (det * det);
    const da = dC / det + dDet * c;
    const db = -dB / det + dDet * (-2 * b);
    const dc = dA / det + dDet * a;
    const sigma = scene.scales[i];
    const s2 = sigma * sigma;
    const { m0, m1, t } = p;
    dScales[i] = 2 * sigma * (da * dot(m0, m0) + db * dot(m0, m1) + dc * dot(m1, m1));
    const dm0 = [0, 1, 2].map((k) => s2 * (2 * da * m0[k] + db * m1[k]));
    const dm1 = [0, 1, 2].map((k) => s2 * (db * m0[k] + 2 * dc * m1[k]));
    // m_r[c] = Σ_k j_r[k] W[k][c]  →  ∂L/∂j_r[k] = Σ_c ∂L/∂m_r[c] W[k][c]
    const dj0 = [0, 1, 2].map((k) => dm0[0] * s.W[k][0] + dm0[1] * s.W[k][1] + dm0[2] * s.W[k][2]);
    const dj1 = [0, 1, 2].map((k) => dm1[0] * s.W[k][0] + dm1[1] * s.W[k][1] + dm1[2] * s.W[k][2]);
    const [x, y, z] = t;
    const dt = [0, 0, 0];
    // j0 = (fx/z, 0, −fx·clamp(x/z)/z), j1 = (0, fy/z, −fy·clamp(y/z)/z)
    dt[2] += (-s.fx / (z * z)) * dj0[0] + (-s.fy / (z * z)) * dj1[1];
    const xz = x / z;
    const yz = y / z;
    if (xz >= s.lo[0] && xz <= s.hi[0]) {
      dt[0] += (-s.fx / (z * z)) * dj0[2];
      dt[2] += ((2 * s.fx * x) / (z * z * z)) * dj0[2];
    } else {
      dt[2] += ((s.fx * clamp(xz, s.lo[0], s.hi[0])) / (z * z)) * dj0[2];
    }
    if (yz >= s.lo[1] && yz <= s.hi[1]) {
      dt[1] += (-s.fy / (z * z)) * dj1[2];
      dt[2] += ((2 * s.fy * y) / (z * z * z)) * dj1[2];
    } else {
      dt[2] += ((s.fy * clamp(yz, s.lo[1], s.hi[1])) / (z * z)) * dj1[2];
    }
    // u = fx·x/z + cx, v = fy·y/z + cy
    dt[0] += (s.fx / z) * du;
    dt[1] += (s.fy / z) * dv;
    dt[2] += ((-s.fx * x) / (z * z)) * du + ((-s.fy * y) / (z * z)) * dv;
    // t = W·mean + tr
    for (let k = 0; k < 3; k++) dMeans[3 * i + k] = s.W[0][k] * dt[0] + s.W[1][k] * dt[1] + s.W[2][k] * dt[2];
  }
  return { image, means: dMeans, scales: dScales, colors: dColors, opacities: dOpacities, image2d: d2 };
}

/** L = Σ gradImage·twinRender(scene, camera), for finite differences. */
export function twinLoss(scene: TwinScene, camera: TwinCamera, gradImage: ArrayLike<number>): number {
  const image = twinRender(scene, camera);
  let sum = 0;
  for (let i = 0; i < image.length; i++) sum += image[i] * gradImage[i];
  return sum;
}
