// Landmark positions of one posed frame and their reverse mode. A landmark is a weighted sum of
// posed joints and posed vertices (FT_ENTRY_*). Vertices are posed exactly as bodyForward does
// (shape blend, pose blend, LBS, + trans) but only the few the landmarks use, in f64.
import {
  buf, size, F_J, F_BP, F_P, F_PP, F_V_TEMPLATE, F_SHAPEDIRS, F_POSEDIRS, F_W_START, F_W_JOINT, F_W_VALUE,
  F_PARENTS, F_POSE, F_ROT, F_J_REST, F_G, F_J_SHAPEDIRS, F_TRANS,
} from './body_layout';
import {
  fbuf, fsize, FT_LANDMARKS, FT_BETAS, FT_ENTRY_START, FT_ENTRY_SOURCE, FT_ENTRY_WEIGHT, FT_POINTS, FT_GRAD_POINTS,
  FT_A, FT_GRAD_A, FT_GRAD_G, FT_GRAD_ROT, FT_GRAD_J_REST, FT_GRAD_FEATURE,
} from './fit_layout';
import { forwardKinematicsBackward } from './kinematics';
import { rodriguesBackward } from './rotations';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function add(p: usize, i: i32, v: f64): void { const q = p + (<usize>i << 3); store<f64>(q, load<f64>(q) + v); }
@inline function ldf(p: usize, i: i32): f64 { return <f64>load<f32>(p + (<usize>i << 2)); }
@inline function ldi(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

// Rest-shaped, pose-blended position of the vertex being handled (f64 ×3).
const VP = memory.data(24);
const GRAD_VP = memory.data(24);

/** A_j = [G_rot | G_t − G_rot·J_j] in f64 (FT_A), after bodyPose has filled ROT, J_REST, G. */
function skinningMatrices(body: usize, fit: usize): void {
  const J = size(body, F_J), G = buf(body, F_G), jRest = buf(body, F_J_REST), A = fbuf(fit, FT_A);
  for (let j = 0; j < J; j++) {
    const jx = ld(jRest, j * 3), jy = ld(jRest, j * 3 + 1), jz = ld(jRest, j * 3 + 2);
    for (let r = 0; r < 3; r++) {
      const g0 = ld(G, j * 12 + r * 4), g1 = ld(G, j * 12 + r * 4 + 1), g2 = ld(G, j * 12 + r * 4 + 2);
      st(A, j * 12 + r * 4, g0); st(A, j * 12 + r * 4 + 1, g1); st(A, j * 12 + r * 4 + 2, g2);
      st(A, j * 12 + r * 4 + 3, ld(G, j * 12 + r * 4 + 3) - (g0 * jx + g1 * jy + g2 * jz));
    }
  }
}

/** VP = v_template + S·β + P·(R − I) for vertex v (betas read from BODY's f32 BETAS). */
function blendedVertex(body: usize, betas: usize, B: i32, v: i32): void {
  const BP = size(body, F_BP), P = size(body, F_P), PP = size(body, F_PP);
  const vt = buf(body, F_V_TEMPLATE), sd = buf(body, F_SHAPEDIRS), pd = buf(body, F_POSEDIRS), rot = buf(body, F_ROT);
  for (let c = 0; c < 3; c++) {
    const row = v * 3 + c;
    let s = ldf(vt, row);
    for (let b = 0; b < B; b++) s += ldf(sd, row * BP + b) * ld(betas, b);
    for (let p = 0; p < P; p++) {
      const j = 1 + p / 9, k = p % 9;
      const feature = ld(rot, j * 9 + k) - (k == 0 || k == 4 || k == 8 ? 1.0 : 0.0);
      s += ldf(pd, row * PP + p) * feature;
    }
    st(VP, c, s);
  }
}

/**
 * Fills FT_POINTS (K×3) for the pose in BODY (bodyPose must have run). `betas` points at the f64 β
 * of the fit's parameter vector (the same values BODY holds as f32).
 */
export function landmarksForward(body: usize, fit: usize, betas: usize): void {
  skinningMatrices(body, fit);
  const K = fsize(fit, FT_LANDMARKS), B = fsize(fit, FT_BETAS);
  const start = fbuf(fit, FT_ENTRY_START), source = fbuf(fit, FT_ENTRY_SOURCE), weight = fbuf(fit, FT_ENTRY_WEIGHT);
  const pts = fbuf(fit, FT_POINTS), A = fbuf(fit, FT_A), G = buf(body, F_G), trans = buf(body, F_TRANS);
  const wStart = buf(body, F_W_START), wJoint = buf(body, F_W_JOINT), wValue = buf(body, F_W_VALUE);
  for (let k = 0; k < K; k++) {
    let px: f64 = 0, py: f64 = 0, pz: f64 = 0, total: f64 = 0;
    for (let e = ldi(start, k); e < ldi(start, k + 1); e++) {
      const s = ldi(source, e), w = ld(weight, e);
      total += w;
      if (s >= 0) {
        px += w * ld(G, s * 12 + 3); py += w * ld(G, s * 12 + 7); pz += w * ld(G, s * 12 + 11);
        continue;
      }
      const v = -1 - s;
      blendedVertex(body, betas, B, v);
      const x = ld(VP, 0), y = ld(VP, 1), z = ld(VP, 2);
      for (let i = ldi(wStart, v); i < ldi(wStart, v + 1); i++) {
        const a = A + (<usize>(ldi(wJoint, i) * 12) << 3), ww = w * ldf(wValue, i);
        px += ww * (ld(a, 0) * x + ld(a, 1) * y + ld(a, 2) * z + ld(a, 3));
        py += ww * (ld(a, 4) * x + ld(a, 5) * y + ld(a, 6) * z + ld(a, 7));
        pz += ww * (ld(a, 8) * x + ld(a, 9) * y + ld(a, 10) * z + ld(a, 11));
      }
    }
    // trans is added once per unit of weight (landmark weights normally sum to 1)
    st(pts, k * 3, px + total * ld(trans, 0));
    st(pts, k * 3 + 1, py + total * ld(trans, 1));
    st(pts, k * 3 + 2, pz + total * ld(trans, 2));
  }
}

/**
 * Reverse mode of landmarksForward: FT_GRAD_POINTS (∂L/∂landmark, K×3) → ADDS ∂L/∂pose (3J at
 * `gPose`), ∂L/∂trans (3 at `gTrans`) and ∂L/∂β (B at `gBetas`), all f64.
 */
export function landmarksBackward(body: usize, fit: usize, betas: usize, gPose: usize, gTrans: usize, gBetas: usize): void {
  const J = size(body, F_J), K = fsize(fit, FT_LANDMARKS), B = fsize(fit, FT_BETAS);
  const BP = size(body, F_BP), P = size(body, F_P), PP = size(body, F_PP);
  const start = fbuf(fit, FT_ENTRY_START), source = fbuf(fit, FT_ENTRY_SOURCE), weight = fbuf(fit, FT_ENTRY_WEIGHT);
  const gPts = fbuf(fit, FT_GRAD_POINTS), A = fbuf(fit, FT_A), gA = fbuf(fit, FT_GRAD_A), gG = fbuf(fit, FT_GRAD_G);
  const gRot = fbuf(fit, FT_GRAD_ROT), gJ = fbuf(fit, FT_GRAD_J_REST), gFeat = fbuf(fit, FT_GRAD_FEATURE);
  const sd = buf(body, F_SHAPEDIRS), pd = buf(body, F_POSEDIRS);
  const wStart = buf(body, F_W_START), wJoint = buf(body, F_W_JOINT), wValue = buf(body, F_W_VALUE);
  memory.fill(gA, 0, <usize>(J * 12) << 3);
  memory.fill(gG, 0, <usize>(J * 12) << 3);
  memory.fill(gJ, 0, <usize>(J * 3) << 3);
  memory.fill(gFeat, 0, <usize>(9 * max(J - 1, 1)) << 3);
  for (let k = 0; k < K; k++) {
    const gx = ld(gPts, k * 3), gy = ld(gPts, k * 3 + 1), gz = ld(gPts, k * 3 + 2);
    if (gx == 0.0 && gy == 0.0 && gz == 0.0) continue;
    for (let e = ldi(start, k); e < ldi(start, k + 1); e++) {
      const s = ldi(source, e), w = ld(weight, e);
      add(gTrans, 0, w * gx); add(gTrans, 1, w * gy); add(gTrans, 2, w * gz);
      if (s >= 0) {
        add(gG, s * 12 + 3, w * gx); add(gG, s * 12 + 7, w * gy); add(gG, s * 12 + 11, w * gz);
        continue;
      }
      const v = -1 - s;
      blendedVertex(body, betas, B, v);
      const x = ld(VP, 0), y = ld(VP, 1), z = ld(VP, 2);
      memory.fill(GRAD_VP, 0, 24);
      for (let i = ldi(wStart, v); i < ldi(wStart, v + 1); i++) {
        const j = ldi(wJoint, i), ww = w * ldf(wValue, i);
        const a = A + (<usize>(j * 12) << 3), ga = gA + (<usize>(j * 12) << 3);
        const hx = ww * gx, hy = ww * gy, hz = ww * gz;
        // ∂A_rot += h·vpᵀ, ∂A_t += h, ∂vp += A_rotᵀ·h
        add(ga, 0, hx * x); add(ga, 1, hx * y); add(ga, 2, hx * z); add(ga, 3, hx);
        add(ga, 4, hy * x); add(ga, 5, hy * y); add(ga, 6, hy * z); add(ga, 7, hy);
        add(ga, 8, hz * x); add(ga, 9, hz * y); add(ga, 10, hz * z); add(ga, 11, hz);
        add(GRAD_VP, 0, ld(a, 0) * hx + ld(a, 4) * hy + ld(a, 8) * hz);
        add(GRAD_VP, 1, ld(a, 1) * hx + ld(a, 5) * hy + ld(a, 9) * hz);
        add(GRAD_VP, 2, ld(a, 2) * hx + ld(a, 6) * hy + ld(a, 10) * hz);
      }
      for (let c = 0; c < 3; c++) {
        const row = v * 3 + c, g = ld(GRAD_VP, c);
        for (let b = 0; b < B; b++) add(gBetas, b, ldf(sd, row * BP + b) * g);
        for (let p = 0; p < P; p++) add(gFeat, p, ldf(pd, row * PP + p) * g);
      }
    }
  }
  // ∂A → ∂G, ∂J_rest (A_t = G_t − G_rot·J_j), as in body_backward.ts
  const jRest = buf(body, F_J_REST), G = buf(body, F_G);
  for (let j = 0; j < J; j++) {
    const jx = ld(jRest, j * 3), jy = ld(jRest, j * 3 + 1), jz = ld(jRest, j * 3 + 2);
    for (let r = 0; r < 3; r++) {
      const o = j * 12 + r * 4, gt = ld(gA, o + 3);
      add(gG, o, ld(gA, o) - gt * jx);
      add(gG, o + 1, ld(gA, o + 1) - gt * jy);
      add(gG, o + 2, ld(gA, o + 2) - gt * jz);
      add(gG, o + 3, gt);
      add(gJ, j * 3, -ld(G, o) * gt);
      add(gJ, j * 3 + 1, -ld(G, o + 1) * gt);
      add(gJ, j * 3 + 2, -ld(G, o + 2) * gt);
    }
  }
  const rot = buf(body, F_ROT);
  forwardKinematicsBackward(J, buf(body, F_PARENTS), rot, jRest, G, gG, gRot, gJ);
  for (let p = 0; p < P; p++) add(gRot, 9 + p, ld(gFeat, p)); // feature p is joint 1 + p/9, entry p%9
  const pose = buf(body, F_POSE);
  for (let j = 0; j < J; j++) {
    rodriguesBackward(pose + (<usize>(j * 3) << 3), gRot + (<usize>(j * 9) << 3), gPose + (<usize>(j * 3) << 3));
  }
  // ∂β from the rest joints: J_rest = J_template + J_shapedirs·β
  const js = buf(body, F_J_SHAPEDIRS);
  for (let b = 0; b < B; b++) {
    let acc: f64 = 0;
    for (let i = 0; i < J * 3; i++) acc += ld(js, i * BP + b) * ld(gJ, i);
    add(gBetas, b, acc);
  }
}
