// Joint regression folded into the shape space once per model: J = J_regressor·(v_template + S·β)
// = (J_regressor·v_template) + (J_regressor·S)·β, so a call costs J×3×B instead of J×V×3×B.
import {
  buf, size, F_V, F_J, F_BP, F_V_TEMPLATE, F_SHAPEDIRS, F_J_REGRESSOR, F_J_TEMPLATE, F_J_SHAPEDIRS,
  F_BETAS, F_J_REST,
} from './body_layout';
import { freeBuffer } from './memory';

/** Fills J_TEMPLATE and J_SHAPEDIRS (f64) from the regressor, then frees the regressor. */
export function precomputeJoints(desc: usize): void {
  const V = size(desc, F_V), J = size(desc, F_J), BP = size(desc, F_BP);
  const reg = buf(desc, F_J_REGRESSOR), vt = buf(desc, F_V_TEMPLATE), sd = buf(desc, F_SHAPEDIRS);
  const jt = buf(desc, F_J_TEMPLATE), js = buf(desc, F_J_SHAPEDIRS);
  for (let j = 0; j < J; j++) {
    for (let v = 0; v < V; v++) {
      const w = <f64>load<f32>(reg + ((<usize>(j * V + v)) << 2));
      if (w == 0.0) continue; // real regressors are sparse
      for (let c = 0; c < 3; c++) {
        const jp = jt + (<usize>(j * 3 + c) << 3);
        store<f64>(jp, load<f64>(jp) + w * <f64>load<f32>(vt + (<usize>(v * 3 + c) << 2)));
        const srow = sd + (<usize>((v * 3 + c) * BP) << 2);
        const jrow = js + (<usize>((j * 3 + c) * BP) << 3);
        for (let b = 0; b < BP; b++) {
          const p = jrow + (<usize>b << 3);
          store<f64>(p, load<f64>(p) + w * <f64>load<f32>(srow + (<usize>b << 2)));
        }
      }
    }
  }
  freeBuffer(reg);
  store<i32>(desc + (<usize>F_J_REGRESSOR << 2), 0);
}

/** Rest joints of the shaped body: J_REST = J_TEMPLATE + J_SHAPEDIRS·β. */
export function regressJoints(desc: usize): void {
  const J = size(desc, F_J), BP = size(desc, F_BP);
  const jt = buf(desc, F_J_TEMPLATE), js = buf(desc, F_J_SHAPEDIRS);
  const betas = buf(desc, F_BETAS), out = buf(desc, F_J_REST);
  for (let i = 0; i < J * 3; i++) {
    let acc = load<f64>(jt + (<usize>i << 3));
    const row = js + (<usize>(i * BP) << 3);
    for (let b = 0; b < BP; b++) acc += load<f64>(row + (<usize>b << 3)) * <f64>load<f32>(betas + (<usize>b << 2));
    store<f64>(out + (<usize>i << 3), acc);
  }
}

/** Adds (J_SHAPEDIRS)ᵀ·gJ to the f32 β-gradient accumulator `gBetas` (BP entries). */
export function regressJointsBackward(desc: usize, gJRest: usize, gBetas: usize): void {
  const J = size(desc, F_J), BP = size(desc, F_BP);
  const js = buf(desc, F_J_SHAPEDIRS);
  for (let b = 0; b < BP; b++) {
    let acc: f64 = 0.0;
    for (let i = 0; i < J * 3; i++) {
      acc += load<f64>(js + (<usize>(i * BP + b) << 3)) * load<f64>(gJRest + (<usize>i << 3));
    }
    const p = gBetas + (<usize>b << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + acc));
  }
}
