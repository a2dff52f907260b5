// The demo page loads the SDK exactly as any static site would: one self-contained module.
import { createDefaultBody, GaussianAvatarError } from '../dist/gaussian-avatar.min.js';

const statusLine = document.getElementById('webgpu-status');
if (!('gpu' in navigator)) {
  statusLine.textContent =
    'WebGPU is not available in this browser, so avatars cannot be rendered or trained here. ' +
    'Use a recent Chrome or Edge (or enable WebGPU). The body model below still works: it runs in WebAssembly.';
  statusLine.classList.add('missing');
} else {
  statusLine.textContent = 'WebGPU is available.';
}

const canvas = document.getElementById('body-view');
const ctx = canvas.getContext('2d');
const bodyStatus = document.getElementById('body-status');
const deg = Math.PI / 180;

// SMPL joint indices used by the sliders.
const J = { L_HIP: 1, R_HIP: 2, L_KNEE: 4, R_KNEE: 5, L_SHOULDER: 16, R_SHOULDER: 17, L_ELBOW: 18, R_ELBOW: 19 };

function readControls() {
  const v = (id) => Number(document.getElementById(id).value);
  for (const input of document.querySelectorAll('.controls input')) {
    input.nextElementSibling.textContent = input.step === '0.1' ? Number(input.value).toFixed(1) : `${input.value}°`;
  }
  return { arms: v('pose-arms'), elbows: v('pose-elbows'), step: v('pose-step'), knees: v('pose-knees'), turn: v('pose-turn'), b0: v('shape-0'), b1: v('shape-1') };
}

function poseFrom(c, numJoints) {
  const pose = new Float32Array(numJoints * 3);
  const set = (j, x, y, z) => pose.set([x, y, z], j * 3);
  set(0, 0, c.turn * deg, 0);
  // Arms: rotate about z (left arm is +x: a negative z rotation lowers it).
  set(J.L_SHOULDER, 0, 0, -c.arms * deg);
  set(J.R_SHOULDER, 0, 0, c.arms * deg);
  set(J.L_ELBOW, 0, -c.elbows * deg, 0);
  set(J.R_ELBOW, 0, c.elbows * deg, 0);
  set(J.L_HIP, -c.step * deg, 0, 0);
  set(J.R_HIP, c.step * deg, 0, 0);
  set(J.L_KNEE, c.knees * deg, 0, 0);
  set(J.R_KNEE, c.knees * deg, 0, 0);
  return pose;
}

function draw(body, result) {
  const { vertices } = result;
  const w = canvas.width, h = canvas.height;
  ctx.fillStyle = '#0d0e11';
  ctx.fillRect(0, 0, w, h);
  // Orthographic front view, y up; points sorted back to front, shaded by depth.
  const n = body.numVertices;
  const order = new Uint32Array(n).map((_, i) => i);
  order.sort((a, b) => vertices[a * 3 + 2] - vertices[b * 3 + 2]);
  const scale = h / 2.3, cx = w / 2, cy = h * 0.47;
  for (const i of order) {
    const x = vertices[i * 3], y = vertices[i * 3 + 1], z = vertices[i * 3 + 2];
    const shade = Math.max(0, Math.min(1, 0.55 + z * 2.2));
    ctx.fillStyle = `rgb(${Math.round(120 + 120 * shade)}, ${Math.round(150 + 90 * shade)}, ${Math.round(190 + 60 * shade)})`;
    ctx.fillRect(cx + x * scale, cy - y * scale, 1.6, 1.6);
  }
}

async function main() {
  let body;
  try {
    body = await createDefaultBody();
  } catch (e) {
    bodyStatus.textContent = `Could not load the default body: ${e instanceof GaussianAvatarError ? e.message : e}`;
    throw e;
  }
  const update = () => {
    const c = readControls();
    const betas = new Float32Array(body.numBetas);
    if (body.numBetas > 0) betas[0] = c.b0;
    if (body.numBetas > 1) betas[1] = c.b1;
    const t0 = performance.now();
    const result = body.forward({ pose: poseFrom(c, body.numJoints), betas });
    const ms = performance.now() - t0;
    draw(body, result);
    bodyStatus.textContent = `Default body: ${body.numVertices} vertices, ${body.numJoints} joints, ${body.numBetas} shape components — forward ${ms.toFixed(2)} ms (WebAssembly).`;
  };
  for (const input of document.querySelectorAll('.controls input')) input.addEventListener('input', update);
  update();
}

main();
