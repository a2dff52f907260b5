// Root rotations of SMPL poses (pose[0…2], axis-angle) as quaternions, and distances between them,
// for tests that perturb a frame's root and check that pose fitting pulls it back.
import { quat, vec3 } from 'gl-matrix';

/** The root's rotation (pose[0…2], axis-angle) as a quaternion. */
export function rootRotation(pose: ArrayLike<number>): quat {
  const axis: [number, number, number] = [pose[0]!, pose[1]!, pose[2]!];
  const angle = Math.hypot(...axis);
  return quat.setAxisAngle(quat.create(), angle > 0 ? [axis[0] / angle, axis[1] / angle, axis[2] / angle] : [1, 0, 0], angle);
}

export function axisAngle(q: quat): [number, number, number] {
  const axis = vec3.create();
  const angle = quat.getAxisAngle(axis, q);
  return [axis[0] * angle, axis[1] * angle, axis[2] * angle];
}

/** Angle (radians) between the root rotations of two poses. */
export function rotationDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = quat.multiply(quat.create(), quat.invert(quat.create(), rootRotation(b)), rootRotation(a));
  return 2 * Math.acos(Math.min(1, Math.abs(d[3])));
}

/** |Twist| about the camera axis z (radians) of the root rotation of `a` relative to `b`: the perturbed component. */
export function rollDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = quat.multiply(quat.create(), rootRotation(a), quat.invert(quat.create(), rootRotation(b)));
  return Math.abs(2 * Math.atan2(d[2], d[3] < 0 ? -d[3] : d[3]) * Math.sign(d[3] || 1));
}
