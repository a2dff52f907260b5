// Rotation kernels on f64 buffers. 3×3 matrices here are ROW-major (R[r*3 + c]); the JS-facing
// pose-math exports convert to column-major at the boundary. Quaternions are (x, y, z, w).

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

// Below this angle the closed forms cancel badly; their Taylor series are exact to f64 there.
const SMALL_ANGLE: f64 = 0.05;

/**
 * Rodrigues: R = I + a·K + b·K², K = skew(r) (unnormalised), a = sin θ/θ, b = (1 − cos θ)/θ².
 * Writes the row-major 3×3 matrix at `R` for the axis-angle at `r`.
 */
export function rodrigues(r: usize, R: usize): void {
  const x = ld(r, 0), y = ld(r, 1), z = ld(r, 2);
  const t2 = x * x + y * y + z * z;
  let a: f64, b: f64;
  if (t2 < SMALL_ANGLE * SMALL_ANGLE) {
    a = 1.0 - t2 / 6.0 + t2 * t2 / 120.0;
    b = 0.5 - t2 / 24.0 + t2 * t2 / 720.0;
  } else {
    const t = Math.sqrt(t2);
    a = Math.sin(t) / t;
    b = (1.0 - Math.cos(t)) / t2;
  }
  // K² = r rᵀ − θ² I
  st(R, 0, 1.0 + b * (x * x - t2));
  st(R, 1, -a * z + b * x * y);
  st(R, 2, a * y + b * x * z);
  st(R, 3, a * z + b * x * y);
  st(R, 4, 1.0 + b * (y * y - t2));
  st(R, 5, -a * x + b * y * z);
  st(R, 6, -a * y + b * x * z);
  st(R, 7, a * x + b * y * z);
  st(R, 8, 1.0 + b * (z * z - t2));
}

/**
 * Vector–Jacobian product of `rodrigues`: given G = ∂L/∂R (row-major 3×3 at `gR`), ADDS ∂L/∂r to `gr`.
 * ∂R/∂r_k = c·r_k·K + a·skew(e_k) + d·r_k·K² + b·(e_k rᵀ + r e_kᵀ − 2 r_k I), with c = a′(θ)/θ, d = b′(θ)/θ.
 */
export function rodriguesBackward(r: usize, gR: usize, gr: usize): void {
  const x = ld(r, 0), y = ld(r, 1), z = ld(r, 2);
  const t2 = x * x + y * y + z * z;
  let a: f64, b: f64, c: f64, d: f64;
  if (t2 < SMALL_ANGLE * SMALL_ANGLE) {
    a = 1.0 - t2 / 6.0 + t2 * t2 / 120.0;
    b = 0.5 - t2 / 24.0 + t2 * t2 / 720.0;
    c = -1.0 / 3.0 + t2 / 30.0 - t2 * t2 / 840.0;
    d = -1.0 / 12.0 + t2 / 180.0 - t2 * t2 / 6720.0;
  } else {
    const t = Math.sqrt(t2);
    const s = Math.sin(t), co = Math.cos(t);
    a = s / t;
    b = (1.0 - co) / t2;
    c = (t * co - s) / (t2 * t);
    d = (t * s - 2.0 * (1.0 - co)) / (t2 * t2);
  }
  const g00 = ld(gR, 0), g01 = ld(gR, 1), g02 = ld(gR, 2);
  const g10 = ld(gR, 3), g11 = ld(gR, 4), g12 = ld(gR, 5);
  const g20 = ld(gR, 6), g21 = ld(gR, 7), g22 = ld(gR, 8);
  // <G, K>, <G, K²>, <G, skew(e_k)>
  const gK = g21 * x - g12 * x + g02 * y - g20 * y + g10 * z - g01 * z;
  const rGr = x * (g00 * x + g01 * y + g02 * z) + y * (g10 * x + g11 * y + g12 * z) + z * (g20 * x + g21 * y + g22 * z);
  const tr = g00 + g11 + g22;
  const gK2 = rGr - t2 * tr;
  // (G r)_k + (Gᵀ r)_k − 2 r_k tr(G)
  const s0 = (g00 * x + g01 * y + g02 * z) + (g00 * x + g10 * y + g20 * z) - 2.0 * x * tr;
  const s1 = (g10 * x + g11 * y + g12 * z) + (g01 * x + g11 * y + g21 * z) - 2.0 * y * tr;
  const s2 = (g20 * x + g21 * y + g22 * z) + (g02 * x + g12 * y + g22 * z) - 2.0 * z * tr;
  const common = c * gK + d * gK2;
  st(gr, 0, ld(gr, 0) + common * x + a * (g21 - g12) + b * s0);
  st(gr, 1, ld(gr, 1) + common * y + a * (g02 - g20) + b * s1);
  st(gr, 2, ld(gr, 2) + common * z + a * (g10 - g01) + b * s2);
}

/** Unit quaternion (x, y, z, w) at `q` → row-major matrix at `R` (normalises q first). */
export function quatToMatrix(q: usize, R: usize): void {
  let x = ld(q, 0), y = ld(q, 1), z = ld(q, 2), w = ld(q, 3);
  const n = Math.sqrt(x * x + y * y + z * z + w * w);
  x /= n; y /= n; z /= n; w /= n;
  st(R, 0, 1.0 - 2.0 * (y * y + z * z));
  st(R, 1, 2.0 * (x * y - z * w));
  st(R, 2, 2.0 * (x * z + y * w));
  st(R, 3, 2.0 * (x * y + z * w));
  st(R, 4, 1.0 - 2.0 * (x * x + z * z));
  st(R, 5, 2.0 * (y * z - x * w));
  st(R, 6, 2.0 * (x * z - y * w));
  st(R, 7, 2.0 * (y * z + x * w));
  st(R, 8, 1.0 - 2.0 * (x * x + y * y));
}

/** Row-major rotation matrix → unit quaternion (x, y, z, w) with w ≥ 0 (Shepperd's method). */
export function matrixToQuat(R: usize, q: usize): void {
  const m00 = ld(R, 0), m01 = ld(R, 1), m02 = ld(R, 2);
  const m10 = ld(R, 3), m11 = ld(R, 4), m12 = ld(R, 5);
  const m20 = ld(R, 6), m21 = ld(R, 7), m22 = ld(R, 8);
  const tr = m00 + m11 + m22;
  let x: f64, y: f64, z: f64, w: f64;
  if (tr > 0.0) {
    const s = Math.sqrt(tr + 1.0) * 2.0;
    w = 0.25 * s; x = (m21 - m12) / s; y = (m02 - m20) / s; z = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1.0 + m00 - m11 - m22) * 2.0;
    w = (m21 - m12) / s; x = 0.25 * s; y = (m01 + m10) / s; z = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1.0 + m11 - m00 - m22) * 2.0;
    w = (m02 - m20) / s; x = (m01 + m10) / s; y = 0.25 * s; z = (m12 + m21) / s;
  } else {
    const s = Math.sqrt(1.0 + m22 - m00 - m11) * 2.0;
    w = (m10 - m01) / s; x = (m02 + m20) / s; y = (m12 + m21) / s; z = 0.25 * s;
  }
  const n = (w < 0.0 ? -1.0 : 1.0) / Math.sqrt(x * x + y * y + z * z + w * w);
  st(q, 0, x * n); st(q, 1, y * n); st(q, 2, z * n); st(q, 3, w * n);
}

/** Axis-angle (3) → unit quaternion (x, y, z, w). */
export function axisAngleToQuat(r: usize, q: usize): void {
  const x = ld(r, 0), y = ld(r, 1), z = ld(r, 2);
  const t2 = x * x + y * y + z * z;
  let s: f64, w: f64;
  if (t2 < SMALL_ANGLE * SMALL_ANGLE) {
    s = 0.5 - t2 / 48.0 + t2 * t2 / 3840.0; // sin(θ/2)/θ
    w = 1.0 - t2 / 8.0 + t2 * t2 / 384.0;
  } else {
    const t = Math.sqrt(t2);
    s = Math.sin(0.5 * t) / t;
    w = Math.cos(0.5 * t);
  }
  st(q, 0, x * s); st(q, 1, y * s); st(q, 2, z * s); st(q, 3, w);
}

/** Quaternion (x, y, z, w; normalised here) → axis-angle with angle in [0, π]. */
export function quatToAxisAngle(q: usize, r: usize): void {
  let x = ld(q, 0), y = ld(q, 1), z = ld(q, 2), w = ld(q, 3);
  const n4 = Math.sqrt(x * x + y * y + z * z + w * w);
  const sign = (w < 0.0 ? -1.0 : 1.0) / n4; // q and −q are the same rotation: take the short way
  x *= sign; y *= sign; z *= sign; w *= sign;
  const n = Math.sqrt(x * x + y * y + z * z);
  // θ = 2·atan2(n, w); θ/n → 2/w as n → 0
  const scale = n < 1e-12 ? 2.0 / w : 2.0 * Math.atan2(n, w) / n;
  st(r, 0, x * scale); st(r, 1, y * scale); st(r, 2, z * scale);
}

/**
 * 6D rotation (Zhou et al. 2019): the first two COLUMNS (a1, a2) of a rotation matrix; Gram–Schmidt
 * back to a row-major matrix. Degenerate input (zero or parallel columns) yields NaN.
 */
export function rot6dToMatrix(d: usize, R: usize): void {
  let ax = ld(d, 0), ay = ld(d, 1), az = ld(d, 2);
  let n = Math.sqrt(ax * ax + ay * ay + az * az);
  ax /= n; ay /= n; az /= n;
  let bx = ld(d, 3), by = ld(d, 4), bz = ld(d, 5);
  const dot = ax * bx + ay * by + az * bz;
  bx -= dot * ax; by -= dot * ay; bz -= dot * az;
  n = Math.sqrt(bx * bx + by * by + bz * bz);
  bx /= n; by /= n; bz /= n;
  const cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
  st(R, 0, ax); st(R, 1, bx); st(R, 2, cx);
  st(R, 3, ay); st(R, 4, by); st(R, 5, cy);
  st(R, 6, az); st(R, 7, bz); st(R, 8, cz);
}

/** Quaternion slerp along the shorter arc (gl-matrix semantics), result normalised. */
export function quatSlerp(qa: usize, qb: usize, t: f64, out: usize): void {
  const ax = ld(qa, 0), ay = ld(qa, 1), az = ld(qa, 2), aw = ld(qa, 3);
  let bx = ld(qb, 0), by = ld(qb, 1), bz = ld(qb, 2), bw = ld(qb, 3);
  let cosom = ax * bx + ay * by + az * bz + aw * bw;
  if (cosom < 0.0) { cosom = -cosom; bx = -bx; by = -by; bz = -bz; bw = -bw; }
  let s0: f64, s1: f64;
  if (1.0 - cosom > 1e-9) {
    const omega = Math.acos(min(cosom, 1.0));
    const sinom = Math.sin(omega);
    s0 = Math.sin((1.0 - t) * omega) / sinom;
    s1 = Math.sin(t * omega) / sinom;
  } else {
    s0 = 1.0 - t; s1 = t; // nearly equal: lerp (then normalise)
  }
  const x = s0 * ax + s1 * bx, y = s0 * ay + s1 * by, z = s0 * az + s1 * bz, w = s0 * aw + s1 * bw;
  const n = Math.sqrt(x * x + y * y + z * z + w * w);
  st(out, 0, x / n); st(out, 1, y / n); st(out, 2, z / n); st(out, 3, w / n);
}
