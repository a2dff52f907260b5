// Linear blend skinning with sparse (CSR) weights: x_v = Σ_j w_vj·A_j·[v_posed; 1] + trans, with
// A_j 3×4 row-major f32 (one f32x4 per row), and its reverse mode.
import {
  buf, size, F_V, F_A, F_W_START, F_W_JOINT, F_W_VALUE, F_V_POSED, F_TRANS, F_OUT_VERTS,
  F_GRAD_VERTS, F_GRAD_V_POSED, F_GRAD_A, F_J,
} from './body_layout';

@inline function dot4(a: v128, b: v128): f32 {
  const m = f32x4.mul(a, b);
  return f32x4.extract_lane(m, 0) + f32x4.extract_lane(m, 1) + f32x4.extract_lane(m, 2) + f32x4.extract_lane(m, 3);
}

export function skin(desc: usize): void {
  const V = size(desc, F_V);
  const A = buf(desc, F_A), start = buf(desc, F_W_START), joint = buf(desc, F_W_JOINT), weight = buf(desc, F_W_VALUE);
  const vp = buf(desc, F_V_POSED), out = buf(desc, F_OUT_VERTS), trans = buf(desc, F_TRANS);
  const tx = <f32>load<f64>(trans), ty = <f32>load<f64>(trans, 8), tz = <f32>load<f64>(trans, 16);
  for (let v = 0; v < V; v++) {
    let r0 = f32x4.splat(0), r1 = f32x4.splat(0), r2 = f32x4.splat(0);
    const k1 = load<i32>(start + (<usize>(v + 1) << 2));
    for (let k = load<i32>(start + (<usize>v << 2)); k < k1; k++) {
      const w = f32x4.splat(load<f32>(weight + (<usize>k << 2)));
      const a = A + (<usize>(load<i32>(joint + (<usize>k << 2)) * 12) << 2);
      r0 = f32x4.add(r0, f32x4.mul(w, v128.load(a)));
      r1 = f32x4.add(r1, f32x4.mul(w, v128.load(a, 16)));
      r2 = f32x4.add(r2, f32x4.mul(w, v128.load(a, 32)));
    }
    const o = <usize>(v * 3) << 2;
    const p = f32x4(load<f32>(vp + o), load<f32>(vp + o, 4), load<f32>(vp + o, 8), 1.0);
    store<f32>(out + o, dot4(r0, p) + tx);
    store<f32>(out + o, dot4(r1, p) + ty, 4);
    store<f32>(out + o, dot4(r2, p) + tz, 8);
  }
}

/** Zeroes the ∂L/∂A accumulator of skinVertexBackward. */
export function skinBackwardBegin(desc: usize): void {
  memory.fill(buf(desc, F_GRAD_A), 0, <usize>(size(desc, F_J) * 12) << 3);
}

/**
 * For vertex v, from ∂L/∂x_v (GRAD_VERTS): writes ∂L/∂v_posed = (Σ_j w_vj A_j,rot)ᵀ·∂x_v into
 * GRAD_V_POSED and adds w_vj·∂x_v·[v_posed; 1]ᵀ to ∂L/∂A_j in GRAD_A (f64, 3×4 row-major).
 */
@inline export function skinVertexBackward(desc: usize, v: i32): void {
  const A = buf(desc, F_A), start = buf(desc, F_W_START), joint = buf(desc, F_W_JOINT), weight = buf(desc, F_W_VALUE);
  const vp = buf(desc, F_V_POSED), g = buf(desc, F_GRAD_VERTS), gvp = buf(desc, F_GRAD_V_POSED), gA = buf(desc, F_GRAD_A);
  const o = <usize>(v * 3) << 2;
  const gx = load<f32>(g + o), gy = load<f32>(g + o, 4), gz = load<f32>(g + o, 8);
  const px = <f64>load<f32>(vp + o), py = <f64>load<f32>(vp + o, 4), pz = <f64>load<f32>(vp + o, 8);
  const pxy = f64x2(px, py), pz1 = f64x2(pz, 1.0);
  // Σ_r g_r·(row r of Σ_j w A_j) = (Σ_j w A_j)ᵀ g, lane-wise in one f32x4
  let back = f32x4.splat(0);
  const k1 = load<i32>(start + (<usize>(v + 1) << 2));
  for (let k = load<i32>(start + (<usize>v << 2)); k < k1; k++) {
    const wv = load<f32>(weight + (<usize>k << 2));
    const j = load<i32>(joint + (<usize>k << 2));
    const a = A + (<usize>(j * 12) << 2);
    const wg0 = wv * gx, wg1 = wv * gy, wg2 = wv * gz;
    back = f32x4.add(back, f32x4.mul(f32x4.splat(wg0), v128.load(a)));
    back = f32x4.add(back, f32x4.mul(f32x4.splat(wg1), v128.load(a, 16)));
    back = f32x4.add(back, f32x4.mul(f32x4.splat(wg2), v128.load(a, 32)));
    const ga = gA + (<usize>(j * 12) << 3);
    const s0 = f64x2.splat(<f64>wg0), s1 = f64x2.splat(<f64>wg1), s2 = f64x2.splat(<f64>wg2);
    v128.store(ga, f64x2.add(v128.load(ga), f64x2.mul(s0, pxy)));
    v128.store(ga, f64x2.add(v128.load(ga, 16), f64x2.mul(s0, pz1)), 16);
    v128.store(ga, f64x2.add(v128.load(ga, 32), f64x2.mul(s1, pxy)), 32);
    v128.store(ga, f64x2.add(v128.load(ga, 48), f64x2.mul(s1, pz1)), 48);
    v128.store(ga, f64x2.add(v128.load(ga, 64), f64x2.mul(s2, pxy)), 64);
    v128.store(ga, f64x2.add(v128.load(ga, 80), f64x2.mul(s2, pz1)), 80);
  }
  store<f32>(gvp + o, f32x4.extract_lane(back, 0));
  store<f32>(gvp + o, f32x4.extract_lane(back, 1), 4);
  store<f32>(gvp + o, f32x4.extract_lane(back, 2), 8);
}
