/**
 * Small f64 rotation helpers on top of gl-matrix for motion conversion and sampling.
 * Quaternions are x, y, z, w (gl-matrix order) in Float64Array(4); axis-angle vectors are
 * (x, y, z) · angle in radians. gl-matrix does the products, slerp and frame conversions; the
 * axis-angle ↔ quaternion conversions are here because gl-matrix's `getAxisAngle` uses `acos(w)`,
 * which loses precision near identity and returns NaN when rounding pushes |w| past 1.
 */
import { mat3, quat, vec3 } from 'gl-matrix';

/** A fresh identity quaternion (f64). */
export function identityQuat(): Float64Array {
  return new Float64Array([0, 0, 0, 1]);
}

/** Quaternion of the axis-angle vector `aa[offset…offset+2]` (radians), written to `out`. */
export function quatFromAxisAngle(out: Float64Array, aa: ArrayLike<number>, offset = 0): Float64Array {
  const x = aa[offset], y = aa[offset + 1], z = aa[offset + 2];
  const angle = Math.sqrt(x * x + y * y + z * z); // not Math.hypot: this runs per joint per sample
  // sin(θ/2)/θ, with its Taylor series near 0 so tiny rotations stay exact.
  const k = angle < 1e-6 ? 0.5 - (angle * angle) / 48 : Math.sin(angle / 2) / angle;
  out[0] = x * k;
  out[1] = y * k;
  out[2] = z * k;
  out[3] = Math.cos(angle / 2);
  return out;
}

/**
 * Axis-angle vector of unit quaternion `q`, written to `out[offset…offset+2]`. The angle is in
 * [0, π] (q and −q give the same result).
 */
export function axisAngleFromQuat(out: { [i: number]: number }, offset: number, q: ArrayLike<number>): void {
  let x = q[0], y = q[1], z = q[2], w = q[3];
  if (w < 0) {
    x = -x; y = -y; z = -z; w = -w;
  }
  const s = Math.sqrt(x * x + y * y + z * z);
  // angle = 2·atan2(s, w); scale = angle / s, with its limit 2/w as s → 0.
  const scale = s < 1e-12 ? 2 / w : (2 * Math.atan2(s, w)) / s;
  out[offset] = x * scale;
  out[offset + 1] = y * scale;
  out[offset + 2] = z * scale;
}

/** Quaternion of a rotation by `radians` about the coordinate axis 0 = x, 1 = y, 2 = z. */
export function quatAboutAxis(out: Float64Array, axis: 0 | 1 | 2, radians: number): Float64Array {
  out[0] = out[1] = out[2] = 0;
  out[axis] = Math.sin(radians / 2);
  out[3] = Math.cos(radians / 2);
  return out;
}

/** out = a · b (apply b first, then a). */
export function multiplyQuat(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return quat.multiply(out, a as quat, b as quat) as Float64Array;
}

/** out = q⁻¹ for a unit quaternion. */
export function conjugateQuat(out: Float64Array, q: ArrayLike<number>): Float64Array {
  return quat.conjugate(out, q as quat) as Float64Array;
}

/** Shortest-path spherical interpolation from `a` (t = 0) to `b` (t = 1), renormalised. */
export function slerpQuat(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  quat.slerp(out, a as quat, b as quat, t);
  return quat.normalize(out, out) as Float64Array;
}

/** Rotates vector `v` by unit quaternion `q`. */
export function rotateVec(out: Float64Array, v: ArrayLike<number>, q: ArrayLike<number>): Float64Array {
  return vec3.transformQuat(out, v as vec3, q as quat) as Float64Array;
}

/**
 * The smallest rotation taking direction `from` to direction `to` (neither need be unit length;
 * both must be non-zero). Opposite directions give a half turn about some perpendicular axis.
 */
export function quatBetween(out: Float64Array, from: ArrayLike<number>, to: ArrayLike<number>): Float64Array {
  const a = vec3.normalize(new Float64Array(3), from as vec3);
  const b = vec3.normalize(new Float64Array(3), to as vec3);
  return quat.rotationTo(out, a, b) as Float64Array;
}

/**
 * Orthonormal frame (as a quaternion: the rotation taking x, y, z to e1, e2, e3) with e1 along
 * `primary` and e2 in the plane of `primary` and `secondary`. Returns null when the two are
 * (nearly) parallel or either is (nearly) zero.
 */
export function frameQuat(primary: ArrayLike<number>, secondary: ArrayLike<number>): Float64Array | null {
  const e1 = new Float64Array(3);
  const len1 = vec3.length(primary as vec3);
  if (!(len1 > 1e-12)) return null;
  vec3.scale(e1, primary as vec3, 1 / len1);
  const e2 = vec3.scaleAndAdd(new Float64Array(3), secondary as vec3, e1, -vec3.dot(secondary as vec3, e1));
  const len2 = vec3.length(e2);
  if (!(len2 > 1e-6 * vec3.length(secondary as vec3)) || !(len2 > 1e-12)) return null;
  vec3.scale(e2, e2, 1 / len2);
  const e3 = vec3.cross(new Float64Array(3), e1, e2);
  // Column-major 3×3 with columns e1, e2, e3.
  const m = new Float64Array([e1[0], e1[1], e1[2], e2[0], e2[1], e2[2], e3[0], e3[1], e3[2]]);
  const q = quat.fromMat3(new Float64Array(4), m as unknown as mat3) as Float64Array;
  return quat.normalize(q, q) as Float64Array;
}
