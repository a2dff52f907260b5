// SMPLify-style keypoint-fit objective and its exact gradient over all frames at once:
// robust (Geman–McClure) reprojection of the body's landmarks onto 2D keypoints through a pinhole
// camera (world = OpenCV camera frame), an optional root-relative 3D landmark term, and the priors
// of fit_priors.ts. Parameters and their layout: fit_layout.ts (FT_PARAMS).
import { buf, size, F_J, F_BP, F_BETAS, F_POSE, F_TRANS } from './body_layout';
import { bodyPose } from './body_forward';
import {
  fbuf, fsize, FT_FRAMES, FT_LANDMARKS, FT_BETAS, FT_PARAMS, FT_PARAM_COUNT, FT_GRAD, FT_KP2D, FT_KP3D,
  FT_ENTRY_START, FT_LANDMARK_WEIGHT, FT_WEIGHTS, FT_TERMS, FT_FRAME_ERROR, FT_POINTS, FT_GRAD_POINTS,
  W_2D, W_SIGMA_2D, W_3D, W_SIGMA_3D, W_3D_IMAGE_PLANE, W_CX, W_CY, W_HIP_LEFT, W_HIP_RIGHT, T_2D, T_3D, T_COUNT,
} from './fit_layout';
import { landmarksForward, landmarksBackward } from './fit_landmarks';
import { fitPriors } from './fit_priors';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function add(p: usize, i: i32, v: f64): void { const q = p + (<usize>i << 3); store<f64>(q, load<f64>(q) + v); }

/** Whether landmark k has any term (unmapped landmarks are ignored). */
@inline function mapped(start: usize, k: i32): bool {
  return load<i32>(start + (<usize>k << 2)) != load<i32>(start + (<usize>(k + 1) << 2));
}

/** Landmarks closer to the camera plane than this (m) are left out of the reprojection term. */
const MIN_DEPTH: f64 = 1e-3;

/**
 * Evaluates the objective at FT_PARAMS: returns the loss, fills FT_GRAD (∂loss/∂params), FT_TERMS
 * and FT_FRAME_ERROR. `body` is a body-model descriptor (body_layout.ts) whose pose, trans and
 * betas buffers this call overwrites.
 */
export function fitObjective(fit: usize, body: usize): f64 {
  const F = fsize(fit, FT_FRAMES), K = fsize(fit, FT_LANDMARKS), B = fsize(fit, FT_BETAS), J = size(body, F_J);
  const x = fbuf(fit, FT_PARAMS), g = fbuf(fit, FT_GRAD), terms = fbuf(fit, FT_TERMS);
  memory.fill(g, 0, <usize>fsize(fit, FT_PARAM_COUNT) << 3);
  memory.fill(terms, 0, <usize>T_COUNT << 3);
  // β: f64 in the parameters, f32 in the body (its joint regression reads them from there)
  const bodyBetas = buf(body, F_BETAS);
  memory.fill(bodyBetas, 0, <usize>size(body, F_BP) << 2);
  for (let b = 0; b < B; b++) store<f32>(bodyBetas + (<usize>b << 2), <f32>ld(x, b));
  const stride = 3 * J + 3, first = B + 1;
  const pose = buf(body, F_POSE), trans = buf(body, F_TRANS);
  const gPts = fbuf(fit, FT_GRAD_POINTS);
  for (let f = 0; f < F; f++) {
    const o = first + f * stride;
    memory.copy(pose, x + (<usize>o << 3), <usize>(3 * J) << 3);
    memory.copy(trans, x + (<usize>(o + 3 * J) << 3), 24);
    bodyPose(body);
    landmarksForward(body, fit, x);
    memory.fill(gPts, 0, <usize>(K * 3) << 3);
    reprojection(fit, f);
    landmarks3d(fit, f);
    landmarksBackward(
      body, fit, x, g + (<usize>o << 3), g + (<usize>(o + 3 * J) << 3), g,
    );
  }
  fitPriors(fit);
  let loss: f64 = 0;
  for (let t = 0; t < T_COUNT; t++) loss += ld(terms, t);
  return loss;
}

/** Σ_k λ_k·c_k·ρ(‖π(P_k) − u_k‖²), ρ(e) = σ²e/(σ² + e): value, ∂/∂P_k and ∂/∂log f; frame error. */
function reprojection(fit: usize, f: i32): void {
  const K = fsize(fit, FT_LANDMARKS), B = fsize(fit, FT_BETAS);
  const x = fbuf(fit, FT_PARAMS), g = fbuf(fit, FT_GRAD), w = fbuf(fit, FT_WEIGHTS);
  const kp = fbuf(fit, FT_KP2D) + (<usize>(f * K * 3) << 3), lw = fbuf(fit, FT_LANDMARK_WEIGHT);
  const start = fbuf(fit, FT_ENTRY_START), pts = fbuf(fit, FT_POINTS), gPts = fbuf(fit, FT_GRAD_POINTS);
  const focal = Math.exp(ld(x, B)), cx = ld(w, W_CX), cy = ld(w, W_CY);
  const w2d = ld(w, W_2D), s2 = ld(w, W_SIGMA_2D) * ld(w, W_SIGMA_2D);
  let loss: f64 = 0, gLogF: f64 = 0, errorSum: f64 = 0, errorCount: i32 = 0;
  for (let k = 0; k < K; k++) {
    const c = ld(kp, k * 3 + 2);
    if (!(c > 0.0) || !mapped(start, k)) continue;
    const px = ld(pts, k * 3), py = ld(pts, k * 3 + 1), pz = ld(pts, k * 3 + 2);
    if (!(pz > MIN_DEPTH)) continue;
    const a = focal * px / pz, b = focal * py / pz;
    const ru = a + cx - ld(kp, k * 3), rv = b + cy - ld(kp, k * 3 + 1);
    const e = ru * ru + rv * rv;
    errorSum += Math.sqrt(e);
    errorCount++;
    const weight = w2d * ld(lw, k) * c;
    if (weight == 0.0) continue;
    const den = s2 + e;
    loss += weight * s2 * e / den;
    const dE = weight * s2 * s2 / (den * den);
    const gu = 2.0 * ru * dE, gv = 2.0 * rv * dE;
    add(gPts, k * 3, gu * focal / pz);
    add(gPts, k * 3 + 1, gv * focal / pz);
    add(gPts, k * 3 + 2, -(gu * a + gv * b) / pz);
    gLogF += gu * a + gv * b;
  }
  add(fbuf(fit, FT_TERMS), T_2D, loss);
  add(g, B, gLogF);
  st(fbuf(fit, FT_FRAME_ERROR), f, errorCount > 0 ? errorSum / <f64>errorCount : 0.0);
}

/**
 * Root-relative 3D landmarks (root = mean of the two hip landmarks), robust like the 2D term. The
 * residual's camera-x/y part is scaled by W_3D_IMAGE_PLANE, e = p·(d₀² + d₁²) + d₂²: the 2D term
 * already places landmarks across the image, more sharply than the world landmarks do; depth is
 * what only this term sees.
 */
function landmarks3d(fit: usize, f: i32): void {
  const K = fsize(fit, FT_LANDMARKS), w = fbuf(fit, FT_WEIGHTS);
  const w3d = ld(w, W_3D);
  if (w3d == 0.0) return;
  const kp = fbuf(fit, FT_KP3D) + (<usize>(f * K * 4) << 3), lw = fbuf(fit, FT_LANDMARK_WEIGHT);
  const start = fbuf(fit, FT_ENTRY_START), pts = fbuf(fit, FT_POINTS), gPts = fbuf(fit, FT_GRAD_POINTS);
  const hl = <i32>ld(w, W_HIP_LEFT), hr = <i32>ld(w, W_HIP_RIGHT);
  if (!(ld(kp, hl * 4 + 3) > 0.0) || !(ld(kp, hr * 4 + 3) > 0.0) || !mapped(start, hl) || !mapped(start, hr)) return;
  const s2 = ld(w, W_SIGMA_3D) * ld(w, W_SIGMA_3D), p = ld(w, W_3D_IMAGE_PLANE);
  let loss: f64 = 0, gr0: f64 = 0, gr1: f64 = 0, gr2: f64 = 0;
  for (let k = 0; k < K; k++) {
    const c = ld(kp, k * 4 + 3);
    if (!(c > 0.0) || !mapped(start, k)) continue;
    const weight = w3d * ld(lw, k) * c;
    if (weight == 0.0) continue;
    const d0 = ld(pts, k * 3) - 0.5 * (ld(pts, hl * 3) + ld(pts, hr * 3)) - (ld(kp, k * 4) - 0.5 * (ld(kp, hl * 4) + ld(kp, hr * 4)));
    const d1 = ld(pts, k * 3 + 1) - 0.5 * (ld(pts, hl * 3 + 1) + ld(pts, hr * 3 + 1)) - (ld(kp, k * 4 + 1) - 0.5 * (ld(kp, hl * 4 + 1) + ld(kp, hr * 4 + 1)));
    const d2 = ld(pts, k * 3 + 2) - 0.5 * (ld(pts, hl * 3 + 2) + ld(pts, hr * 3 + 2)) - (ld(kp, k * 4 + 2) - 0.5 * (ld(kp, hl * 4 + 2) + ld(kp, hr * 4 + 2)));
    const e = p * (d0 * d0 + d1 * d1) + d2 * d2, den = s2 + e;
    loss += weight * s2 * e / den;
    const dE = 2.0 * weight * s2 * s2 / (den * den);
    const g0 = dE * p * d0, g1 = dE * p * d1, g2 = dE * d2;
    add(gPts, k * 3, g0); add(gPts, k * 3 + 1, g1); add(gPts, k * 3 + 2, g2);
    gr0 += g0; gr1 += g1; gr2 += g2;
  }
  for (let c = 0; c < 3; c++) {
    const gc = c == 0 ? gr0 : c == 1 ? gr1 : gr2;
    add(gPts, hl * 3 + c, -0.5 * gc);
    add(gPts, hr * 3 + c, -0.5 * gc);
  }
  add(fbuf(fit, FT_TERMS), T_3D, loss);
}

/** Landmark positions (FT_POINTS, K×3, camera frame) of frame `f` at FT_PARAMS, without the loss. */
export function fitLandmarks(fit: usize, body: usize, f: i32): void {
  const B = fsize(fit, FT_BETAS), J = size(body, F_J), x = fbuf(fit, FT_PARAMS);
  const bodyBetas = buf(body, F_BETAS);
  memory.fill(bodyBetas, 0, <usize>size(body, F_BP) << 2);
  for (let b = 0; b < B; b++) store<f32>(bodyBetas + (<usize>b << 2), <f32>ld(x, b));
  const o = B + 1 + f * (3 * J + 3);
  memory.copy(buf(body, F_POSE), x + (<usize>o << 3), <usize>(3 * J) << 3);
  memory.copy(buf(body, F_TRANS), x + (<usize>(o + 3 * J) << 3), 24);
  bodyPose(body);
  landmarksForward(body, fit, x);
}
