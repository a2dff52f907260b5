// Renders docs/default-body.png with a tiny software rasteriser (orthographic, z-buffer, Lambert
// shading): the default body at betas = 0 in its T-pose rest, front and side, with its skeleton,
// and posed (a walking step, arms down) through the package's own body model.
// Run with tsx after `npm run build:wasm` (it uses the package's decoder and WebAssembly model):
//   npx tsx scripts/render-body-png.mjs
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';
import { decodeDefaultBody } from '../src/body/default-body-format.ts';
import { createBodyModel } from '../src/body/body-model.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const body = decodeDefaultBody(readFileSync(join(root, 'assets', 'default-body.bin')));
const model = await createBodyModel(body);
const F = body.faces, V = body.vTemplate.length / 3, J = body.parents.length;
const PANEL_W = [520, 300, 360], H = 560, PX_PER_M = 300;
const W = PANEL_W.reduce((a, b) => a + b, 0);
const rgb = new Uint8Array(W * H * 3).fill(245);

// A walking step: right thigh forward, left knee bent, arms lowered and swinging, slight turn.
const walk = new Float32Array(J * 3);
const set = (j, x, y, z) => walk.set([x, y, z], j * 3);
set(0, 0, 0.15, 0);
set(1, 0.35, 0, 0.05); set(2, -0.45, 0, -0.05); set(4, 0.6, 0, 0); set(5, 0.15, 0, 0);
set(16, -0.35, 0, -1.25); set(17, 0.3, 0, 1.25); set(18, 0, -0.5, 0); set(19, 0, 0.35, 0);
set(15, 0.1, -0.15, 0);
const scenes = [
  { ...model.forward({ pose: new Float32Array(J * 3) }), yaw: 0 },
  { ...model.forward({ pose: new Float32Array(J * 3) }), yaw: Math.PI / 2 },
  { ...model.forward({ pose: walk }), yaw: Math.PI / 5, noSkeleton: true },
];
model.dispose();

function vertexNormals(P) {
  // Area-weighted face normals, summed per vertex.
  const normals = new Float64Array(V * 3);
  for (let f = 0; f < F.length; f += 3) {
    const [a, b, c] = [F[f] * 3, F[f + 1] * 3, F[f + 2] * 3];
    const e1 = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
    const e2 = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
    const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    for (const i of [a, b, c]) for (let k = 0; k < 3; k++) normals[i + k] += n[k];
  }
  for (let v = 0; v < V; v++) {
    const l = Math.hypot(normals[v * 3], normals[v * 3 + 1], normals[v * 3 + 2]) || 1;
    for (let k = 0; k < 3; k++) normals[v * 3 + k] /= l;
  }
  return normals;
}

const light = [0.35, 0.5, 0.8].map((x) => x / Math.hypot(0.35, 0.5, 0.8));

let left = 0;
scenes.forEach((scene, panel) => {
  const width = PANEL_W[panel], x0Panel = left;
  left += width;
  const P = scene.vertices, normals = vertexNormals(P), joints = scene.joints;
  // Camera turned by `yaw` about +y, looking along −z: screen x right, y up, depth towards the viewer.
  const c = Math.cos(scene.yaw), s = Math.sin(scene.yaw);
  const view = (p) => [c * p[0] - s * p[2], p[1], s * p[0] + c * p[2]];
  const zbuf = new Float64Array(width * H).fill(-Infinity);
  const ox = x0Panel + width / 2, oy = H * 0.46;
  const toScreen = (p) => { const [x, y, z] = view(p); return [ox + x * PX_PER_M, oy - y * PX_PER_M, z]; };
  const S = Array.from({ length: V }, (_, v) => toScreen([P[v * 3], P[v * 3 + 1], P[v * 3 + 2]]));
  const N = Array.from({ length: V }, (_, v) => view([normals[v * 3], normals[v * 3 + 1], normals[v * 3 + 2]]));
  for (let f = 0; f < F.length; f += 3) {
    const [a, b, cc] = [F[f], F[f + 1], F[f + 2]];
    const [A, B, C] = [S[a], S[b], S[cc]];
    const area = (B[0] - A[0]) * (C[1] - A[1]) - (B[1] - A[1]) * (C[0] - A[0]);
    if (area >= 0) continue; // back face (screen y points down: CCW-from-outside faces have negative area)
    const x0 = Math.max(x0Panel, Math.floor(Math.min(A[0], B[0], C[0])));
    const x1 = Math.min(x0Panel + width - 1, Math.ceil(Math.max(A[0], B[0], C[0])));
    const y0 = Math.max(0, Math.floor(Math.min(A[1], B[1], C[1])));
    const y1 = Math.min(H - 1, Math.ceil(Math.max(A[1], B[1], C[1])));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const px = x + 0.5, py = y + 0.5;
      const wa = ((B[0] - px) * (C[1] - py) - (B[1] - py) * (C[0] - px)) / area;
      const wb = ((C[0] - px) * (A[1] - py) - (C[1] - py) * (A[0] - px)) / area;
      const wc = 1 - wa - wb;
      if (wa < 0 || wb < 0 || wc < 0) continue;
      const z = wa * A[2] + wb * B[2] + wc * C[2];
      const zi = y * width + (x - x0Panel);
      if (z <= zbuf[zi]) continue;
      zbuf[zi] = z;
      const n = [0, 1, 2].map((k) => wa * N[a][k] + wb * N[b][k] + wc * N[cc][k]);
      const ln = Math.hypot(...n) || 1;
      const shade = 0.25 + 0.75 * Math.max(0, (n[0] * light[0] + n[1] * light[1] + n[2] * light[2]) / ln);
      const o = (y * W + x) * 3;
      rgb[o] = Math.min(255, 226 * shade); rgb[o + 1] = Math.min(255, 188 * shade); rgb[o + 2] = Math.min(255, 160 * shade);
    }
  }
  if (scene.noSkeleton) return;
  // Skeleton on top: bones as lines, joints as dots.
  const dot = (x, y, r, color) => {
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
      const X = Math.round(x) + dx, Y = Math.round(y) + dy;
      if (dx * dx + dy * dy > r * r || X < x0Panel || X >= x0Panel + width || Y < 0 || Y >= H) continue;
      rgb.set(color, (Y * W + X) * 3);
    }
  };
  const js = Array.from({ length: J }, (_, j) => toScreen([joints[j * 3], joints[j * 3 + 1], joints[j * 3 + 2]]));
  for (let j = 1; j < J; j++) {
    const [p, q] = [js[body.parents[j]], js[j]];
    const steps = Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]));
    for (let k = 0; k <= steps; k++) dot(p[0] + ((q[0] - p[0]) * k) / steps, p[1] + ((q[1] - p[1]) * k) / steps, 1, [40, 90, 200]);
  }
  js.forEach((p) => dot(p[0], p[1], 3, [200, 40, 40]));
});


mkdirSync(join(root, 'docs'), { recursive: true });
const out = join(root, 'docs', 'default-body.png');
writeFileSync(out, encodePng(W, H, rgb));
console.log(`render-body-png: wrote ${out}`);
