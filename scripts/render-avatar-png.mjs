// Renders docs/default-avatar.png with a tiny software splatter (orthographic, front-to-back alpha
// compositing of isotropic Gaussians, 3σ footprint, α = min(0.99, exp(−½d²/σ²))): the default
// avatar in its T-pose rest from the front, back and side, and posed (a walking step) through
// the package's own poseGaussians. Run with tsx after `npm run build:wasm`:
//   npx tsx scripts/render-avatar-png.mjs [resolution]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';
import { createDefaultAvatar } from '../src/avatar/default-avatar.ts';
import { poseGaussians } from '../src/avatar/pose-avatar.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resolution = Number(process.argv[2] ?? 320);
const avatar = await createDefaultAvatar({ resolution });
const J = avatar.body.numJoints;
const PANEL_W = [520, 300, 300, 360], H = 560, PX_PER_M = 300;
const W = PANEL_W.reduce((a, b) => a + b, 0);
const rgb = new Float32Array(W * H * 3).fill(245 / 255);

const walk = new Float32Array(J * 3);
const set = (j, x, y, z) => walk.set([x, y, z], j * 3);
set(0, 0, 0.15, 0);
set(1, 0.35, 0, 0.05); set(2, -0.45, 0, -0.05); set(4, 0.6, 0, 0); set(5, 0.15, 0, 0);
set(16, -0.35, 0, -1.25); set(17, 0.3, 0, 1.25); set(18, 0, -0.5, 0); set(19, 0, 0.35, 0);
set(15, 0.1, -0.15, 0);
const rest = poseGaussians(avatar, { pose: new Float32Array(J * 3) });
const panels = [
  { ...rest, yaw: 0 }, { ...rest, yaw: Math.PI }, { ...rest, yaw: Math.PI / 2 },
  { ...poseGaussians(avatar, { pose: walk }), yaw: Math.PI / 5 },
];
avatar.body.dispose();

let x0 = 0;
panels.forEach((scene, p) => {
  const { positions: P, scales: S, colors: C, yaw } = scene;
  const N = S.length;
  const cx = x0 + PANEL_W[p] / 2, cy = H / 2 - 0.05 * PX_PER_M;
  const c = Math.cos(yaw), s = Math.sin(yaw);
  // Camera looks along −z' (from +z' towards the body), z' = depth towards the viewer.
  const sx = new Float32Array(N), sy = new Float32Array(N), depth = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const x = P[i * 3], y = P[i * 3 + 1], z = P[i * 3 + 2];
    sx[i] = cx + (c * x + s * z) * PX_PER_M;
    sy[i] = cy - y * PX_PER_M;
    depth[i] = -s * x + c * z;
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => depth[b] - depth[a]);
  const T = new Float32Array(PANEL_W[p] * H).fill(1);
  const acc = new Float32Array(PANEL_W[p] * H * 3);
  for (const i of order) {
    const sigma = Math.max(S[i] * PX_PER_M, 0.3);
    const r = Math.ceil(3 * sigma);
    for (let py = Math.max(0, Math.floor(sy[i] - r)); py <= Math.min(H - 1, Math.ceil(sy[i] + r)); py++) {
      for (let px = Math.max(x0, Math.floor(sx[i] - r)); px <= Math.min(x0 + PANEL_W[p] - 1, Math.ceil(sx[i] + r)); px++) {
        const dx = px + 0.5 - sx[i], dy = py + 0.5 - sy[i];
        const a = Math.min(0.99, Math.exp((-0.5 * (dx * dx + dy * dy)) / (sigma * sigma + 0.3)));
        if (a < 1 / 255) continue;
        const k = py * PANEL_W[p] + (px - x0);
        if (T[k] < 1e-4) continue;
        for (let ch = 0; ch < 3; ch++) acc[k * 3 + ch] += C[i * 3 + ch] * a * T[k];
        T[k] *= 1 - a;
      }
    }
  }
  for (let py = 0; py < H; py++) for (let px = 0; px < PANEL_W[p]; px++) {
    const k = py * PANEL_W[p] + px, o = (py * W + x0 + px) * 3;
    for (let ch = 0; ch < 3; ch++) rgb[o + ch] = acc[k * 3 + ch] + T[k] * rgb[o + ch];
  }
  x0 += PANEL_W[p];
});


const out = process.env.AVATAR_PNG ?? join(root, 'docs', 'default-avatar.png');
mkdirSync(dirname(out), { recursive: true });
// 0…1 floats → 8-bit, clamped.
writeFileSync(out, encodePng(W, H, Uint8Array.from(rgb, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))));
console.log(`render-avatar-png: wrote ${out} (N = ${rest.scales.length})`);
