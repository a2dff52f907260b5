// Shape and pose blend shapes: v_posed = v_template + S·β + P·feature (rows of S padded to a multiple
// of 4 and rows of P to a multiple of 8 with zeros, so every row is whole f32x4 lanes / lane pairs), and their transposes for gradients.
// Per-vertex kernels, so the backward pass can fuse them with skinning and read P once per call:
// P (V·3×207 f32 = 17 MB for SMPL) dominates the cost and is memory-bound.
import {
  buf, size, F_V, F_BP, F_PP, F_P, F_V_TEMPLATE, F_SHAPEDIRS, F_POSEDIRS, F_BETAS, F_FEATURE,
  F_V_POSED, F_GRAD_V_POSED, F_GRAD_FEATURE, F_GRAD_BETAS_ACC,
} from './body_layout';

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Byte range [start, end) of the feature that is not zero (joints at rest add nothing). */
export function activeFeatureBytes(desc: usize): u64 {
  const PP = size(desc, F_PP), feat = buf(desc, F_FEATURE);
  if (size(desc, F_P) == 0) return 0;
  let first = PP, last = 0;
  for (let p = 0; p < PP; p++) {
    if (load<f32>(feat + (<usize>p << 2)) != 0) {
      if (p < first) first = p;
      last = p + 1;
    }
  }
  if (first >= last) return 0;
  const start = <u64>((first & ~7) << 2), end = <u64>(((last + 7) & ~7) << 2);
  return start | (end << 32);
}

/**
 * V_POSED[v] = v_template[v] + S[v]·β + P[v]·feature, the pose term over the byte range
 * [pStart, pEnd) of each posedirs row only (outside it the feature is zero).
 */
@inline export function blendVertex(desc: usize, v: i32, pStart: usize, pEnd: usize): void {
  const BP = size(desc, F_BP), PP = size(desc, F_PP);
  const sStride = <usize>BP << 2, pStride = <usize>PP << 2;
  const i = v * 3;
  const betas = buf(desc, F_BETAS), feat = buf(desc, F_FEATURE);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0);
  const srow = buf(desc, F_SHAPEDIRS) + <usize>i * sStride;
  for (let b: usize = 0; b < sStride; b += 16) {
    const bb = v128.load(betas + b);
    s0 = f32x4.add(s0, f32x4.mul(v128.load(srow + b), bb));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(srow + sStride + b), bb));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(srow + 2 * sStride + b), bb));
  }
  const prow = buf(desc, F_POSEDIRS) + <usize>i * pStride;
  // two accumulators per row (rows are padded to 8 floats) to halve the add dependency chains
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0);
  for (let p = pStart; p < pEnd; p += 32) {
    const ff = v128.load(feat + p), fg = v128.load(feat + p, 16);
    const r0 = prow + p, r1 = r0 + pStride, r2 = r1 + pStride;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(r0), ff));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(r1), ff));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(r2), ff));
    t0 = f32x4.add(t0, f32x4.mul(v128.load(r0, 16), fg));
    t1 = f32x4.add(t1, f32x4.mul(v128.load(r1, 16), fg));
    t2 = f32x4.add(t2, f32x4.mul(v128.load(r2, 16), fg));
  }
  s0 = f32x4.add(s0, t0); s1 = f32x4.add(s1, t1); s2 = f32x4.add(s2, t2);
  const o = <usize>i << 2;
  const vt = buf(desc, F_V_TEMPLATE), out = buf(desc, F_V_POSED);
  store<f32>(out + o, load<f32>(vt + o) + hsum(s0));
  store<f32>(out + o, load<f32>(vt + o, 4) + hsum(s1), 4);
  store<f32>(out + o, load<f32>(vt + o, 8) + hsum(s2), 8);
}

/** V_POSED for every vertex. */
export function blendShapes(desc: usize): void {
  const range = activeFeatureBytes(desc);
  const pStart = <usize>(range & 0xffffffff), pEnd = <usize>(range >> 32);
  const V = size(desc, F_V);
  for (let v = 0; v < V; v++) blendVertex(desc, v, pStart, pEnd);
}

/** Zeroes the accumulators of blendVertexBackward. */
export function blendBackwardBegin(desc: usize): void {
  memory.fill(buf(desc, F_GRAD_FEATURE), 0, <usize>size(desc, F_PP) << 2);
  memory.fill(buf(desc, F_GRAD_BETAS_ACC), 0, <usize>size(desc, F_BP) << 2);
}

/** GRAD_FEATURE += P[v]ᵀ·∂v_posed[v] and GRAD_BETAS_ACC += S[v]ᵀ·∂v_posed[v] (from GRAD_V_POSED). */
@inline export function blendVertexBackward(desc: usize, v: i32): void {
  const BP = size(desc, F_BP), PP = size(desc, F_PP);
  const sStride = <usize>BP << 2, pStride = <usize>PP << 2;
  const i = v * 3;
  const go = buf(desc, F_GRAD_V_POSED) + (<usize>i << 2);
  const g0 = f32x4.splat(load<f32>(go)), g1 = f32x4.splat(load<f32>(go, 4)), g2 = f32x4.splat(load<f32>(go, 8));
  const gBetas = buf(desc, F_GRAD_BETAS_ACC);
  const srow = buf(desc, F_SHAPEDIRS) + <usize>i * sStride;
  for (let b: usize = 0; b < sStride; b += 16) {
    let acc = v128.load(gBetas + b);
    acc = f32x4.add(acc, f32x4.mul(v128.load(srow + b), g0));
    acc = f32x4.add(acc, f32x4.mul(v128.load(srow + sStride + b), g1));
    acc = f32x4.add(acc, f32x4.mul(v128.load(srow + 2 * sStride + b), g2));
    v128.store(gBetas + b, acc);
  }
  if (size(desc, F_P) > 0) {
    const gFeat = buf(desc, F_GRAD_FEATURE);
    const prow = buf(desc, F_POSEDIRS) + <usize>i * pStride;
    for (let p: usize = 0; p < pStride; p += 16) {
      let acc = v128.load(gFeat + p);
      acc = f32x4.add(acc, f32x4.mul(v128.load(prow + p), g0));
      acc = f32x4.add(acc, f32x4.mul(v128.load(prow + pStride + p), g1));
      acc = f32x4.add(acc, f32x4.mul(v128.load(prow + 2 * pStride + p), g2));
      v128.store(gFeat + p, acc);
    }
  }
}
