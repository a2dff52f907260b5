// Priors of the keypoint fit (no image data): L2 pose prior, joint-limit hinges, ‖β‖², log-focal
// prior, and temporal smoothness of pose and translation between neighbouring frames.
import {
  fbuf, fsize, FT_FRAMES, FT_BETAS, FT_JOINTS, FT_PARAMS, FT_GRAD, FT_POSE_WEIGHT, FT_LIMIT_SIGN, FT_WEIGHTS,
  FT_TERMS, W_LIMIT, W_SHAPE, W_SMOOTH_POSE, W_SMOOTH_TRANS, W_FOCAL, W_LOG_FOCAL_PRIOR, T_POSE, T_LIMIT,
  T_SHAPE, T_SMOOTH_POSE, T_SMOOTH_TRANS, T_FOCAL,
} from './fit_layout';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function add(p: usize, i: i32, v: f64): void { const q = p + (<usize>i << 3); store<f64>(q, load<f64>(q) + v); }

/** Adds every prior's value to FT_TERMS and its gradient to FT_GRAD. */
export function fitPriors(fit: usize): void {
  const F = fsize(fit, FT_FRAMES), B = fsize(fit, FT_BETAS), J = fsize(fit, FT_JOINTS);
  const x = fbuf(fit, FT_PARAMS), g = fbuf(fit, FT_GRAD), w = fbuf(fit, FT_WEIGHTS), terms = fbuf(fit, FT_TERMS);
  const poseW = fbuf(fit, FT_POSE_WEIGHT), limit = fbuf(fit, FT_LIMIT_SIGN);
  const stride = 3 * J + 3, first = B + 1;

  const wShape = ld(w, W_SHAPE);
  let shape: f64 = 0;
  for (let b = 0; b < B; b++) {
    const v = ld(x, b);
    shape += wShape * v * v;
    add(g, b, 2.0 * wShape * v);
  }
  add(terms, T_SHAPE, shape);

  const wFocal = ld(w, W_FOCAL), df = ld(x, B) - ld(w, W_LOG_FOCAL_PRIOR);
  add(terms, T_FOCAL, wFocal * df * df);
  add(g, B, 2.0 * wFocal * df);

  const wLimit = ld(w, W_LIMIT);
  let pose: f64 = 0, hinge: f64 = 0;
  for (let f = 0; f < F; f++) {
    const o = first + f * stride;
    for (let i = 0; i < 3 * J; i++) {
      const v = ld(x, o + i), pw = ld(poseW, i), s = ld(limit, i);
      pose += pw * v * v;
      let d = 2.0 * pw * v;
      const over = s * v; // > 0: bent the wrong way
      if (s != 0.0 && over > 0.0) {
        hinge += wLimit * over * over;
        d += 2.0 * wLimit * over * s;
      }
      add(g, o + i, d);
    }
  }
  add(terms, T_POSE, pose);
  add(terms, T_LIMIT, hinge);

  const wsp = ld(w, W_SMOOTH_POSE), wst = ld(w, W_SMOOTH_TRANS);
  let smoothPose: f64 = 0, smoothTrans: f64 = 0;
  for (let f = 1; f < F; f++) {
    const o = first + f * stride, p = o - stride;
    for (let i = 0; i < stride; i++) {
      const ws = i < 3 * J ? wsp : wst;
      const d = ld(x, o + i) - ld(x, p + i);
      if (i < 3 * J) smoothPose += ws * d * d;
      else smoothTrans += ws * d * d;
      add(g, o + i, 2.0 * ws * d);
      add(g, p + i, -2.0 * ws * d);
    }
  }
  add(terms, T_SMOOTH_POSE, smoothPose);
  add(terms, T_SMOOTH_TRANS, smoothTrans);
}
