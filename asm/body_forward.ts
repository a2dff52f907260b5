// smplx lbs() forward: Rodrigues → rest joints → FK → skinning matrices → blend shapes → LBS + trans.
import {
  buf, size, F_J, F_P, F_PARENTS, F_POSE, F_ROT, F_J_REST, F_G, F_A, F_FEATURE, F_TRANS, F_OUT_JOINTS,
  F_OUT_TRANSFORMS,
} from './body_layout';
import { rodrigues } from './rotations';
import { regressJoints } from './joint_regression';
import { forwardKinematics } from './kinematics';
import { blendShapes } from './blend_shapes';
import { skin } from './skinning';

/**
 * Per-joint part: local rotations, rest joints, global transforms G, skinning matrices
 * A_j = [G_rot | G_t − G_rot·J_j], the pose-blend feature (R_j − I, row-major, joints 1…J−1), and
 * the joint / transform outputs (trans folded in; transforms column-major 4×4).
 */
export function bodyPose(desc: usize): void {
  const J = size(desc, F_J);
  const pose = buf(desc, F_POSE), rot = buf(desc, F_ROT), jRest = buf(desc, F_J_REST), G = buf(desc, F_G);
  const A = buf(desc, F_A), trans = buf(desc, F_TRANS);
  const outJ = buf(desc, F_OUT_JOINTS), outT = buf(desc, F_OUT_TRANSFORMS);
  for (let j = 0; j < J; j++) rodrigues(pose + (<usize>(j * 3) << 3), rot + (<usize>(j * 9) << 3));
  regressJoints(desc);
  forwardKinematics(J, buf(desc, F_PARENTS), rot, jRest, G);
  for (let j = 0; j < J; j++) {
    const g = G + (<usize>(j * 12) << 3);
    const a = A + (<usize>(j * 12) << 2);
    const t = outT + (<usize>(j * 16) << 2);
    const jx = load<f64>(jRest + (<usize>(j * 3) << 3));
    const jy = load<f64>(jRest + (<usize>(j * 3 + 1) << 3));
    const jz = load<f64>(jRest + (<usize>(j * 3 + 2) << 3));
    for (let r = 0; r < 3; r++) {
      const g0 = load<f64>(g + (<usize>(r * 4) << 3)), g1 = load<f64>(g + (<usize>(r * 4 + 1) << 3));
      const g2 = load<f64>(g + (<usize>(r * 4 + 2) << 3)), gt = load<f64>(g + (<usize>(r * 4 + 3) << 3));
      const at = gt - (g0 * jx + g1 * jy + g2 * jz);
      const tr = load<f64>(trans + (<usize>r << 3));
      store<f32>(a + (<usize>(r * 4) << 2), <f32>g0);
      store<f32>(a + (<usize>(r * 4 + 1) << 2), <f32>g1);
      store<f32>(a + (<usize>(r * 4 + 2) << 2), <f32>g2);
      store<f32>(a + (<usize>(r * 4 + 3) << 2), <f32>at);
      store<f32>(t + (<usize>r << 2), <f32>g0);
      store<f32>(t + (<usize>(4 + r) << 2), <f32>g1);
      store<f32>(t + (<usize>(8 + r) << 2), <f32>g2);
      store<f32>(t + (<usize>(12 + r) << 2), <f32>(at + tr));
      store<f32>(outJ + (<usize>(j * 3 + r) << 2), <f32>(gt + tr));
    }
    store<f32>(t + 12, 0); store<f32>(t + 28, 0); store<f32>(t + 44, 0); store<f32>(t + 60, 1);
  }
  if (size(desc, F_P) > 0) {
    const feat = buf(desc, F_FEATURE);
    for (let j = 1; j < J; j++) {
      for (let k = 0; k < 9; k++) {
        const eye: f64 = k == 0 || k == 4 || k == 8 ? 1.0 : 0.0;
        store<f32>(feat + (<usize>((j - 1) * 9 + k) << 2), <f32>(load<f64>(rot + (<usize>(j * 9 + k) << 3)) - eye));
      }
    }
  }
}

/** Full forward: fills OUT_VERTS, OUT_JOINTS, OUT_TRANSFORMS (and the intermediates backward needs). */
export function bodyForward(desc: usize): void {
  bodyPose(desc);
  blendShapes(desc);
  skin(desc);
}

/** Forward without the vertices: OUT_JOINTS and OUT_TRANSFORMS only. */
export function bodyForwardTransforms(desc: usize): void {
  bodyPose(desc);
}
