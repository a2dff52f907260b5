// Rigid motions of a posed SMPL body, for the fit benchmark's ground truth: moving a pose into
// another frame (turned in place, seen from a camera), onto a body of the same or another shape.
// Matrices are gl-matrix's (column-major).
import { mat3, quat, vec3 } from 'gl-matrix';

/**
 * Pose and translation (SMPL: root axis-angle first, root rotating about the rest pelvis `restPelvisFrom`)
 * of the same posed body moved rigidly by x ↦ R·x + t — on a body whose rest pelvis is `restPelvisTo`
 * (another shape): the root turns by R and the pelvis lands where the moved pelvis is. `R` is a
 * column-major mat3 (gl-matrix).
 */
export function moveBody(pose: Float32Array, trans: ArrayLike<number>, R: mat3, t: ArrayLike<number>, restPelvisFrom: ArrayLike<number>, restPelvisTo: ArrayLike<number>): { pose: Float32Array; trans: Float32Array } {
  const axis = vec3.fromValues(pose[0]!, pose[1]!, pose[2]!);
  const angle = vec3.length(axis);
  const root = quat.setAxisAngle(quat.create(), angle > 0 ? vec3.scale(vec3.create(), axis, 1 / angle) : vec3.fromValues(1, 0, 0), angle);
  const turned = quat.multiply(quat.create(), quat.normalize(quat.create(), quat.fromMat3(quat.create(), R)), root);
  const newAxis = vec3.create();
  const newAngle = quat.getAxisAngle(newAxis, turned);
  const out = pose.slice();
  out.set([newAxis[0] * newAngle, newAxis[1] * newAngle, newAxis[2] * newAngle], 0);
  const pelvis = vec3.fromValues(restPelvisFrom[0]! + trans[0]!, restPelvisFrom[1]! + trans[1]!, restPelvisFrom[2]! + trans[2]!);
  const moved = vec3.transformMat3(vec3.create(), pelvis, R);
  return { pose: out, trans: Float32Array.from([0, 1, 2], (c) => moved[c]! + t[c]! - restPelvisTo[c]!) };
}

/** Rotation part (mat3) and translation of a column-major 4×4 world→camera matrix. */
export function splitView(view: ArrayLike<number>): { R: mat3; t: Float32Array } {
  const R = mat3.fromValues(view[0]!, view[1]!, view[2]!, view[4]!, view[5]!, view[6]!, view[8]!, view[9]!, view[10]!);
  return { R, t: Float32Array.from([view[12]!, view[13]!, view[14]!]) };
}

