/**
 * The pose code that conditions the appearance network in stage 2: for every non-root joint
 * j = 1…J−1, the first two columns of its local rotation matrix R_j (the continuous "6D"
 * rotation representation) minus those of the identity, so the rest pose (T-pose) codes to zeros:
 *   code[6(j−1) + 3c + r] = R_j[r][c] − δ_rc,   c ∈ {0, 1}, r ∈ {0, 1, 2}
 * Length 6·(J−1) (138 for SMPL). The root is left out: the global orientation does not change how
 * clothes hang relative to the body.
 */
import { AvatarInputError, describeValue } from '../errors.js';

/** Entries of the pose code for a body with `numJoints` joints. */
export function poseCodeLength(numJoints: number): number {
  return 6 * (numJoints - 1);
}

/** The pose code of `pose` (J×3 axis-angle, root first), length 6·(J−1). */
export function poseCode(pose: ArrayLike<number>, numJoints: number): Float32Array {
  if (!pose || typeof pose !== 'object' || pose.length !== numJoints * 3) {
    throw new AvatarInputError(`pose: expected ${numJoints * 3} numbers (J×3 axis-angle), got ${describeValue(pose)}`);
  }
  const out = new Float32Array(poseCodeLength(numJoints));
  for (let j = 1; j < numJoints; j++) {
    const x = pose[3 * j]!, y = pose[3 * j + 1]!, z = pose[3 * j + 2]!;
    const angle = Math.sqrt(x * x + y * y + z * z);
    // Rodrigues: R = I + sin θ·K + (1 − cos θ)·K², K the cross-product matrix of the unit axis;
    // the small-angle limits keep it exact to f64 rounding near θ = 0.
    const s = angle < 1e-8 ? 1 : Math.sin(angle) / angle;
    const c = angle < 1e-8 ? 0.5 : (1 - Math.cos(angle)) / (angle * angle);
    // Columns 0 and 1 of R − I: R − I = s·K + c·K² with K = [[0, −z, y], [z, 0, −x], [−y, x, 0]].
    const column0 = [c * -(y * y + z * z), s * z + c * x * y, -s * y + c * x * z];
    const column1 = [-s * z + c * x * y, c * -(x * x + z * z), s * x + c * y * z];
    out.set(column0, 6 * (j - 1));
    out.set(column1, 6 * (j - 1) + 3);
  }
  return out;
}
