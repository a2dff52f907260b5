// Rigid motions of a posed SMPL body and of point sets, for the fit benchmark's ground truth:
// moving a pose into another frame (a camera's, a fitted one) and aligning joints between frames.
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

/**
 * The rotation R (column-major mat3) and translation t that best map points `from` onto `to` (both
 * N×3) in the least-squares sense, x ↦ R·x + t (Horn's quaternion method: the top eigenvector of
 * a symmetric 4×4, found by Jacobi rotations).
 */
export function rigidAlign(from: ArrayLike<number>, to: ArrayLike<number>): { R: mat3; t: Float32Array } {
  const n = from.length / 3;
  const cf = [0, 1, 2].map((c) => Array.from({ length: n }, (_, i) => from[3 * i + c]!).reduce((a, b) => a + b, 0) / n);
  const ct = [0, 1, 2].map((c) => Array.from({ length: n }, (_, i) => to[3 * i + c]!).reduce((a, b) => a + b, 0) / n);
  const S = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) S[a]![b]! += (from[3 * i + a]! - cf[a]!) * (to[3 * i + b]! - ct[b]!);
  }
  const [[xx, xy, xz], [yx, yy, yz], [zx, zy, zz]] = S as [number[], number[], number[]];
  const N = [
    [xx! + yy! + zz!, yz! - zy!, zx! - xz!, xy! - yx!],
    [yz! - zy!, xx! - yy! - zz!, xy! + yx!, zx! + xz!],
    [zx! - xz!, xy! + yx!, -xx! + yy! - zz!, yz! + zy!],
    [xy! - yx!, zx! + xz!, yz! + zy!, -xx! - yy! + zz!],
  ];
  const V = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    for (let p = 0; p < 3; p++) {
      for (let q = p + 1; q < 4; q++) {
        if (Math.abs(N[p]![q]!) < 1e-15) continue;
        const theta = (N[q]![q]! - N[p]![p]!) / (2 * N[p]![q]!);
        const tan = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(tan * tan + 1), sin = tan * cos;
        for (let k = 0; k < 4; k++) {
          const a = N[k]![p]!, b = N[k]![q]!;
          N[k]![p] = cos * a - sin * b;
          N[k]![q] = sin * a + cos * b;
        }
        for (let k = 0; k < 4; k++) {
          const a = N[p]![k]!, b = N[q]![k]!;
          N[p]![k] = cos * a - sin * b;
          N[q]![k] = sin * a + cos * b;
        }
        for (let k = 0; k < 4; k++) {
          const a = V[k]![p]!, b = V[k]![q]!;
          V[k]![p] = cos * a - sin * b;
          V[k]![q] = sin * a + cos * b;
        }
      }
    }
  }
  const top = [0, 1, 2, 3].reduce((best, k) => (N[k]![k]! > N[best]![best]! ? k : best), 0);
  const [w, x, y, z] = V.map((row) => row[top]!);
  const R = mat3.fromQuat(mat3.create(), quat.normalize(quat.create(), quat.fromValues(x!, y!, z!, w!)));
  const moved = vec3.transformMat3(vec3.create(), vec3.fromValues(cf[0]!, cf[1]!, cf[2]!), R);
  return { R, t: Float32Array.from([0, 1, 2], (c) => ct[c]! - moved[c]!) };
}
