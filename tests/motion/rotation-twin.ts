/**
 * Plain f64 rotation maths with 3×3 matrices (row-major number[9]) — the tests' oracle for the
 * quaternion code in src/motion. Deliberately a different route: Rodrigues' formula, the matrix
 * log, and slerp as `Ra · exp(t · log(Raᵀ Rb))`.
 */
export type Mat3 = number[];
export type Vec3 = [number, number, number];

export const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function mul(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return out;
}

export function transpose(a: Mat3): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export function apply(m: Mat3, v: ArrayLike<number>): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Rodrigues: rotation matrix of the axis-angle vector at `aa[o…o+2]`. */
export function rodrigues(aa: ArrayLike<number>, o = 0): Mat3 {
  const x = aa[o], y = aa[o + 1], z = aa[o + 2];
  const t = Math.hypot(x, y, z);
  if (t < 1e-15) return [...IDENTITY];
  const [kx, ky, kz] = [x / t, y / t, z / t];
  const c = Math.cos(t), s = Math.sin(t), v = 1 - c;
  return [
    c + kx * kx * v, kx * ky * v - kz * s, kx * kz * v + ky * s,
    ky * kx * v + kz * s, c + ky * ky * v, ky * kz * v - kx * s,
    kz * kx * v - ky * s, kz * ky * v + kx * s, c + kz * kz * v,
  ];
}

/** Rotation about a coordinate axis by `radians`. */
export function axisRotation(axis: 'X' | 'Y' | 'Z', radians: number): Mat3 {
  const v: Vec3 = [0, 0, 0];
  v['XYZ'.indexOf(axis)] = radians;
  return rodrigues(v);
}

/** Matrix log (angle < π − 1e-6 assumed): the axis-angle vector of a rotation matrix. */
export function logMap(m: Mat3): Vec3 {
  const cos = Math.min(1, Math.max(-1, (m[0] + m[4] + m[8] - 1) / 2));
  const angle = Math.acos(cos);
  const w: Vec3 = [m[7] - m[5], m[2] - m[6], m[3] - m[1]];
  if (angle < 1e-12) return [w[0] / 2, w[1] / 2, w[2] / 2];
  const k = angle / (2 * Math.sin(angle));
  return [w[0] * k, w[1] * k, w[2] * k];
}

/** Geodesic interpolation between rotations a (t = 0) and b (t = 1). */
export function slerpMat(a: Mat3, b: Mat3, t: number): Mat3 {
  const rel = logMap(mul(transpose(a), b));
  return mul(a, rodrigues([rel[0] * t, rel[1] * t, rel[2] * t]));
}

/** Angle (radians) of the rotation taking a to b. */
export function angleBetween(a: Mat3, b: Mat3): number {
  const m = mul(transpose(a), b);
  return Math.acos(Math.min(1, Math.max(-1, (m[0] + m[4] + m[8] - 1) / 2)));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function normalize(v: ArrayLike<number>): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Seeded PRNG (mulberry32) so failures reproduce. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random axis-angle vector with angle up to `maxAngle`. */
export function randomAxisAngle(rand: () => number, maxAngle: number): Vec3 {
  const axis = normalize([rand() * 2 - 1, rand() * 2 - 1, rand() * 2 - 1]);
  const angle = rand() * maxAngle;
  return [axis[0] * angle, axis[1] * angle, axis[2] * angle];
}

/**
 * SMPL-style forward kinematics: world rotation and position of each joint from local axis-angles
 * (J×3), rest joint positions (J×3) and parents. Posed joint k = P(parent) + W(parent)·(rest_k − rest_parent).
 */
export function forwardKinematics(
  pose: ArrayLike<number>,
  rest: ArrayLike<number>,
  parents: readonly number[],
): { world: Mat3[]; positions: Vec3[] } {
  const world: Mat3[] = [];
  const positions: Vec3[] = [];
  parents.forEach((p, j) => {
    const local = rodrigues(pose, j * 3);
    if (p < 0) {
      world.push(local);
      positions.push([rest[j * 3], rest[j * 3 + 1], rest[j * 3 + 2]]);
    } else {
      world.push(mul(world[p], local));
      const d = apply(world[p], [rest[j * 3] - rest[p * 3], rest[j * 3 + 1] - rest[p * 3 + 1], rest[j * 3 + 2] - rest[p * 3 + 2]]);
      positions.push([positions[p][0] + d[0], positions[p][1] + d[1], positions[p][2] + d[2]]);
    }
  });
  return { world, positions };
}
