// Reverse mode of body_forward.ts: vertices or transforms → (pose, trans, betas).
import {
  buf, size, F_V, F_J, F_B, F_BP, F_P, F_PARENTS, F_POSE, F_ROT, F_J_REST, F_G, F_GRAD_A, F_GRAD_G,
  F_GRAD_ROT, F_GRAD_J_REST, F_GRAD_FEATURE, F_GRAD_BETAS_ACC, F_GRAD_VERTS, F_GRAD_TRANSFORMS, F_GRAD_POSE,
  F_GRAD_TRANS, F_GRAD_BETAS,
} from './body_layout';
import { bodyPose } from './body_forward';
import { skinBackwardBegin, skinVertexBackward } from './skinning';
import { activeFeatureBytes, blendBackwardBegin, blendVertex, blendVertexBackward } from './blend_shapes';
import { forwardKinematicsBackward } from './kinematics';
import { regressJointsBackward } from './joint_regression';
import { rodriguesBackward } from './rotations';

const GRAD_AXIS_ANGLE = memory.data(24);

/**
 * Shared tail: GRAD_A (∂L/∂A_j, 3×4 row-major f64) → through A_j = [G_rot | G_t − G_rot·J_j], FK,
 * the pose-blend feature (if `withFeature`), Rodrigues and joint regression → GRAD_POSE, GRAD_BETAS.
 * GRAD_BETAS_ACC must already hold the β-gradient of the vertex path (zeros for transforms).
 */
function backwardFromSkinningMatrices(desc: usize, withFeature: bool): void {
  const J = size(desc, F_J), B = size(desc, F_B);
  const rot = buf(desc, F_ROT), jRest = buf(desc, F_J_REST), G = buf(desc, F_G);
  const gA = buf(desc, F_GRAD_A), gG = buf(desc, F_GRAD_G), gRot = buf(desc, F_GRAD_ROT), gJ = buf(desc, F_GRAD_J_REST);
  memory.fill(gJ, 0, <usize>(J * 3) << 3);
  for (let j = 0; j < J; j++) {
    const ga = gA + (<usize>(j * 12) << 3), gg = gG + (<usize>(j * 12) << 3), g = G + (<usize>(j * 12) << 3);
    const jx = load<f64>(jRest + (<usize>(j * 3) << 3));
    const jy = load<f64>(jRest + (<usize>(j * 3 + 1) << 3));
    const jz = load<f64>(jRest + (<usize>(j * 3 + 2) << 3));
    let gj0: f64 = 0, gj1: f64 = 0, gj2: f64 = 0;
    for (let r = 0; r < 3; r++) {
      const gt = load<f64>(ga + (<usize>(r * 4 + 3) << 3));
      // ∂G_rot = ∂A_rot − ∂A_t·J_jᵀ ; ∂G_t = ∂A_t ; ∂J_j = −G_rotᵀ·∂A_t
      store<f64>(gg + (<usize>(r * 4) << 3), load<f64>(ga + (<usize>(r * 4) << 3)) - gt * jx);
      store<f64>(gg + (<usize>(r * 4 + 1) << 3), load<f64>(ga + (<usize>(r * 4 + 1) << 3)) - gt * jy);
      store<f64>(gg + (<usize>(r * 4 + 2) << 3), load<f64>(ga + (<usize>(r * 4 + 2) << 3)) - gt * jz);
      store<f64>(gg + (<usize>(r * 4 + 3) << 3), gt);
      gj0 -= load<f64>(g + (<usize>(r * 4) << 3)) * gt;
      gj1 -= load<f64>(g + (<usize>(r * 4 + 1) << 3)) * gt;
      gj2 -= load<f64>(g + (<usize>(r * 4 + 2) << 3)) * gt;
    }
    store<f64>(gJ + (<usize>(j * 3) << 3), gj0);
    store<f64>(gJ + (<usize>(j * 3 + 1) << 3), gj1);
    store<f64>(gJ + (<usize>(j * 3 + 2) << 3), gj2);
  }
  forwardKinematicsBackward(J, buf(desc, F_PARENTS), rot, jRest, G, gG, gRot, gJ);
  if (withFeature && size(desc, F_P) > 0) {
    const gf = buf(desc, F_GRAD_FEATURE);
    for (let j = 1; j < J; j++) {
      for (let k = 0; k < 9; k++) {
        const p = gRot + (<usize>(j * 9 + k) << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(gf + (<usize>((j - 1) * 9 + k) << 2)));
      }
    }
  }
  const pose = buf(desc, F_POSE), gPose = buf(desc, F_GRAD_POSE);
  for (let j = 0; j < J; j++) {
    memory.fill(GRAD_AXIS_ANGLE, 0, 24);
    rodriguesBackward(pose + (<usize>(j * 3) << 3), gRot + (<usize>(j * 9) << 3), GRAD_AXIS_ANGLE);
    for (let c = 0; c < 3; c++) {
      store<f32>(gPose + (<usize>(j * 3 + c) << 2), <f32>load<f64>(GRAD_AXIS_ANGLE + (<usize>c << 3)));
    }
  }
  const gAcc = buf(desc, F_GRAD_BETAS_ACC);
  regressJointsBackward(desc, gJ, gAcc);
  memory.copy(buf(desc, F_GRAD_BETAS), gAcc, <usize>B << 2);
}

/** VJP of the vertices: GRAD_VERTS (V×3) → GRAD_POSE (J×3), GRAD_TRANS (3), GRAD_BETAS (B). */
export function bodyBackward(desc: usize): void {
  bodyPose(desc);
  const V = size(desc, F_V);
  // One fused pass per vertex — blend, skin backward, blend backward — so each vertex's posedirs
  // rows come from memory once and are reused from L1.
  const range = activeFeatureBytes(desc);
  const pStart = <usize>(range & 0xffffffff), pEnd = <usize>(range >> 32);
  skinBackwardBegin(desc);
  blendBackwardBegin(desc);
  for (let v = 0; v < V; v++) {
    blendVertex(desc, v, pStart, pEnd);
    skinVertexBackward(desc, v);
    blendVertexBackward(desc, v);
  }
  const g = buf(desc, F_GRAD_VERTS), gTrans = buf(desc, F_GRAD_TRANS);
  let tx: f64 = 0, ty: f64 = 0, tz: f64 = 0;
  for (let v = 0; v < V; v++) {
    const o = g + (<usize>(v * 3) << 2);
    tx += <f64>load<f32>(o); ty += <f64>load<f32>(o, 4); tz += <f64>load<f32>(o, 8);
  }
  store<f32>(gTrans, <f32>tx); store<f32>(gTrans, <f32>ty, 4); store<f32>(gTrans, <f32>tz, 8);
  backwardFromSkinningMatrices(desc, true);
}

/** VJP of the transforms: GRAD_TRANSFORMS (J×16 column-major) → GRAD_POSE, GRAD_TRANS, GRAD_BETAS. */
export function bodyBackwardTransforms(desc: usize): void {
  bodyPose(desc);
  const J = size(desc, F_J), gT = buf(desc, F_GRAD_TRANSFORMS), gA = buf(desc, F_GRAD_A);
  let tx: f64 = 0, ty: f64 = 0, tz: f64 = 0;
  for (let j = 0; j < J; j++) {
    const t = gT + (<usize>(j * 16) << 2), a = gA + (<usize>(j * 12) << 3);
    // column-major 4×4 → 3×4 row-major; the constant bottom row has no gradient
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) store<f64>(a + (<usize>(r * 4 + c) << 3), <f64>load<f32>(t + (<usize>(c * 4 + r) << 2)));
    }
    tx += <f64>load<f32>(t, 48); ty += <f64>load<f32>(t, 52); tz += <f64>load<f32>(t, 56);
  }
  const gTrans = buf(desc, F_GRAD_TRANS);
  store<f32>(gTrans, <f32>tx); store<f32>(gTrans, <f32>ty, 4); store<f32>(gTrans, <f32>tz, 8);
  memory.fill(buf(desc, F_GRAD_BETAS_ACC), 0, <usize>size(desc, F_BP) << 2);
  backwardFromSkinningMatrices(desc, false);
}
