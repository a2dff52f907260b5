// Shape and pose blend shapes: v_posed = v_template + S·β + P·feature (rows of S and P padded to a
// multiple of 4 with zeros, so every row is whole f32x4 lanes), and their transposes for gradients.
import {
  buf, size, F_V, F_BP, F_PP, F_P, F_V_TEMPLATE, F_SHAPEDIRS, F_POSEDIRS, F_BETAS, F_FEATURE,
  F_V_POSED, F_GRAD_V_POSED, F_GRAD_FEATURE, F_GRAD_BETAS_ACC,
} from './body_layout';

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** V_POSED = v_template + S·β + P·feature (pose term skipped when the model has no posedirs). */
export function blendShapes(desc: usize): void {
  const V = size(desc, F_V), BP = size(desc, F_BP), PP = size(desc, F_PP);
  const usePose = size(desc, F_P) > 0;
  const vt = buf(desc, F_V_TEMPLATE), sd = buf(desc, F_SHAPEDIRS), pd = buf(desc, F_POSEDIRS);
  const betas = buf(desc, F_BETAS), feat = buf(desc, F_FEATURE), out = buf(desc, F_V_POSED);
  const sStride = <usize>BP << 2, pStride = <usize>PP << 2;
  for (let v = 0; v < V; v++) {
    const i = v * 3;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0);
    const srow = sd + <usize>i * sStride;
    for (let b: usize = 0; b < sStride; b += 16) {
      const bb = v128.load(betas + b);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(srow + b), bb));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(srow + sStride + b), bb));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(srow + 2 * sStride + b), bb));
    }
    if (usePose) {
      const prow = pd + <usize>i * pStride;
      for (let p: usize = 0; p < pStride; p += 16) {
        const ff = v128.load(feat + p);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(prow + p), ff));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(prow + pStride + p), ff));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(prow + 2 * pStride + p), ff));
      }
    }
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(vt + o) + hsum(s0));
    store<f32>(out + o + 4, load<f32>(vt + o + 4) + hsum(s1));
    store<f32>(out + o + 8, load<f32>(vt + o + 8) + hsum(s2));
  }
}

/** GRAD_FEATURE = Pᵀ·∂v_posed and GRAD_BETAS_ACC = Sᵀ·∂v_posed (both overwritten). */
export function blendShapesBackward(desc: usize): void {
  const V = size(desc, F_V), BP = size(desc, F_BP), PP = size(desc, F_PP);
  const usePose = size(desc, F_P) > 0;
  const sd = buf(desc, F_SHAPEDIRS), pd = buf(desc, F_POSEDIRS), g = buf(desc, F_GRAD_V_POSED);
  const gFeat = buf(desc, F_GRAD_FEATURE), gBetas = buf(desc, F_GRAD_BETAS_ACC);
  const sStride = <usize>BP << 2, pStride = <usize>PP << 2;
  memory.fill(gFeat, 0, pStride);
  memory.fill(gBetas, 0, sStride);
  for (let v = 0; v < V; v++) {
    const i = v * 3;
    const go = g + (<usize>i << 2);
    const g0 = f32x4.splat(load<f32>(go)), g1 = f32x4.splat(load<f32>(go, 4)), g2 = f32x4.splat(load<f32>(go, 8));
    const srow = sd + <usize>i * sStride;
    for (let b: usize = 0; b < sStride; b += 16) {
      let acc = v128.load(gBetas + b);
      acc = f32x4.add(acc, f32x4.mul(v128.load(srow + b), g0));
      acc = f32x4.add(acc, f32x4.mul(v128.load(srow + sStride + b), g1));
      acc = f32x4.add(acc, f32x4.mul(v128.load(srow + 2 * sStride + b), g2));
      v128.store(gBetas + b, acc);
    }
    if (usePose) {
      const prow = pd + <usize>i * pStride;
      for (let p: usize = 0; p < pStride; p += 16) {
        let acc = v128.load(gFeat + p);
        acc = f32x4.add(acc, f32x4.mul(v128.load(prow + p), g0));
        acc = f32x4.add(acc, f32x4.mul(v128.load(prow + pStride + p), g1));
        acc = f32x4.add(acc, f32x4.mul(v128.load(prow + 2 * pStride + p), g2));
        v128.store(gFeat + p, acc);
      }
    }
  }
}
