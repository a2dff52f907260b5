/**
 * Plain f64 TypeScript twin of the WASM body model and pose math: the test oracle. Written for
 * obviousness, straight from smplx `lbs()`: dense loops, full joint regression from the shaped mesh,
 * 4×4 matrices, Rodrigues through the half-angle quaternion (a different formula from asm/ on purpose).
 */
import type { BodyModelData } from '../../src/body/types.js';

export type Mat3 = number[]; // row-major 3×3
export type Mat4 = number[]; // row-major 4×4 (internal to the twin)

export interface TwinParams {
  pose: ArrayLike<number>;
  betas?: ArrayLike<number>;
  trans?: ArrayLike<number>;
}

export interface TwinForward {
  vertices: Float64Array; // V×3
  joints: Float64Array; // J×3
  transforms: Float64Array; // J×16, column-major, trans folded in
  vShaped: Float64Array;
  vPosed: Float64Array;
  restJoints: Float64Array;
}

/** Axis-angle → row-major rotation matrix via q = (sin(θ/2)·r/θ, cos(θ/2)). */
export function twinRodrigues(x: number, y: number, z: number): Mat3 {
  const t = Math.hypot(x, y, z);
  const s = t < 1e-8 ? 0.5 - (t * t) / 48 : Math.sin(t / 2) / t;
  return twinQuatToMatrix(x * s, y * s, z * s, Math.cos(t / 2));
}

export function twinQuatToMatrix(x: number, y: number, z: number, w: number): Mat3 {
  const n = Math.hypot(x, y, z, w);
  x /= n; y /= n; z /= n; w /= n;
  return [
    w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z,
  ];
}

export function mat4Mul(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) for (let k = 0; k < 4; k++) out[r * 4 + c]! += a[r * 4 + k]! * b[k * 4 + c]!;
  return out;
}

function rigid(R: Mat3, t: [number, number, number]): Mat4 {
  return [R[0]!, R[1]!, R[2]!, t[0], R[3]!, R[4]!, R[5]!, t[1], R[6]!, R[7]!, R[8]!, t[2], 0, 0, 0, 1];
}

/** Global transforms G_j (row-major 4×4) of a kinematic tree: G_j = G_parent · [R_j | J_j − J_parent]. */
export function twinForwardKinematics(rotations: Mat3[], restJoints: ArrayLike<number>, parents: ArrayLike<number>): Mat4[] {
  const G: Mat4[] = [];
  for (let j = 0; j < parents.length; j++) {
    const p = parents[j]!;
    const t: [number, number, number] = [0, 1, 2].map((c) => restJoints[j * 3 + c]! - (p < 0 ? 0 : restJoints[p * 3 + c]!)) as [number, number, number];
    const local = rigid(rotations[j]!, t);
    G.push(p < 0 ? local : mat4Mul(G[p]!, local));
  }
  return G;
}

/** smplx lbs(): shape blend, joint regression, pose blend, FK, LBS, then + trans. */
export function twinForward(data: BodyModelData, params: TwinParams): TwinForward {
  const V = data.vTemplate.length / 3, J = data.parents.length, B = data.numBetas;
  const betas = Array.from({ length: B }, (_, b) => (params.betas && b < params.betas.length ? params.betas[b]! : 0));
  const trans = params.trans ? [params.trans[0]!, params.trans[1]!, params.trans[2]!] : [0, 0, 0];

  const vShaped = new Float64Array(V * 3);
  for (let i = 0; i < V * 3; i++) {
    let s = data.vTemplate[i]!;
    for (let b = 0; b < B; b++) s += data.shapedirs[i * B + b]! * betas[b]!;
    vShaped[i] = s;
  }
  const restJoints = new Float64Array(J * 3);
  for (let j = 0; j < J; j++) {
    for (let v = 0; v < V; v++) {
      const w = data.jRegressor[j * V + v]!;
      for (let c = 0; c < 3; c++) restJoints[j * 3 + c]! += w * vShaped[v * 3 + c]!;
    }
  }
  const rotations: Mat3[] = [];
  for (let j = 0; j < J; j++) rotations.push(twinRodrigues(params.pose[j * 3]!, params.pose[j * 3 + 1]!, params.pose[j * 3 + 2]!));

  const vPosed = Float64Array.from(vShaped);
  if (data.posedirs.length > 0) {
    const P = 9 * (J - 1);
    const feature: number[] = [];
    for (let j = 1; j < J; j++) for (let k = 0; k < 9; k++) feature.push(rotations[j]![k]! - (k % 4 === 0 ? 1 : 0));
    for (let i = 0; i < V * 3; i++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += data.posedirs[i * P + p]! * feature[p]!;
      vPosed[i]! += s;
    }
  }

  const G = twinForwardKinematics(rotations, restJoints, data.parents);
  // A_j = G_j with translation − G_j·[J_j, 0]
  const A = G.map((g, j) => {
    const a = g.slice();
    for (let r = 0; r < 3; r++) {
      a[r * 4 + 3]! -= g[r * 4]! * restJoints[j * 3]! + g[r * 4 + 1]! * restJoints[j * 3 + 1]! + g[r * 4 + 2]! * restJoints[j * 3 + 2]!;
    }
    return a;
  });

  const vertices = new Float64Array(V * 3);
  for (let v = 0; v < V; v++) {
    const T = new Array<number>(12).fill(0);
    for (let j = 0; j < J; j++) {
      const w = data.weights[v * J + j]!;
      for (let k = 0; k < 12; k++) T[k]! += w * A[j]![k]!;
    }
    for (let r = 0; r < 3; r++) {
      vertices[v * 3 + r] =
        T[r * 4]! * vPosed[v * 3]! + T[r * 4 + 1]! * vPosed[v * 3 + 1]! + T[r * 4 + 2]! * vPosed[v * 3 + 2]! + T[r * 4 + 3]! + trans[r]!;
    }
  }
  const joints = new Float64Array(J * 3);
  const transforms = new Float64Array(J * 16);
  for (let j = 0; j < J; j++) {
    for (let r = 0; r < 3; r++) joints[j * 3 + r] = G[j]![r * 4 + 3]! + trans[r]!;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) transforms[j * 16 + c * 4 + r] = A[j]![r * 4 + c]! + (c === 3 && r < 3 ? trans[r]! : 0);
  }
  return { vertices, joints, transforms, vShaped, vPosed, restJoints };
}

// ---- pose math twins (row-major 3×3, quaternions x, y, z, w) ----

/** Rotation matrix → axis-angle with angle in [0, π] (log map; eigen-axis near π). */
export function twinMatrixToAxisAngle(R: Mat3): [number, number, number] {
  const cos = Math.min(1, Math.max(-1, (R[0]! + R[4]! + R[8]! - 1) / 2));
  const angle = Math.acos(cos);
  const sx = R[7]! - R[5]!, sy = R[2]! - R[6]!, sz = R[3]! - R[1]!;
  if (angle < 1e-6) return [sx / 2, sy / 2, sz / 2];
  if (Math.PI - angle > 1e-3) {
    const k = angle / (2 * Math.sin(angle));
    return [sx * k, sy * k, sz * k];
  }
  // near π: R ≈ 2 n nᵀ − I; take the largest diagonal column, fix the sign with the skew part
  const d = [R[0]!, R[4]!, R[8]!];
  const i = d.indexOf(Math.max(...d));
  const col = [0, 1, 2].map((r) => (R[r * 3 + i]! + (r === i ? 1 : 0)) / 2);
  const n = Math.hypot(...col);
  let axis = col.map((c) => c / n);
  if (axis[0]! * sx + axis[1]! * sy + axis[2]! * sz < 0) axis = axis.map((a) => -a);
  return [axis[0]! * angle, axis[1]! * angle, axis[2]! * angle];
}

export function twinQuatMul(a: number[], b: number[]): number[] {
  const [ax, ay, az, aw] = a as [number, number, number, number];
  const [bx, by, bz, bw] = b as [number, number, number, number];
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

/** Slerp as qa·(qa⁻¹·qb)^t along the shorter arc, through the axis-angle of the relative rotation. */
export function twinSlerp(qa: number[], qb: number[], t: number): number[] {
  const dot = qa[0]! * qb[0]! + qa[1]! * qb[1]! + qa[2]! * qb[2]! + qa[3]! * qb[3]!;
  const b = dot < 0 ? qb.map((v) => -v) : qb;
  const rel = twinQuatMul([-qa[0]!, -qa[1]!, -qa[2]!, qa[3]!], b);
  const n = Math.hypot(rel[0]!, rel[1]!, rel[2]!);
  const half = Math.atan2(n, rel[3]!);
  const s = n < 1e-12 ? 0 : Math.sin(t * half) / n;
  return twinQuatMul(qa, [rel[0]! * s, rel[1]! * s, rel[2]! * s, Math.cos(t * half)]);
}

/** 6D (first two columns a1, a2) → row-major rotation by Gram–Schmidt. */
export function twinRot6dToMatrix(d: ArrayLike<number>): Mat3 {
  const a1 = [d[0]!, d[1]!, d[2]!], a2 = [d[3]!, d[4]!, d[5]!];
  const n1 = Math.hypot(...a1);
  const b1 = a1.map((v) => v / n1);
  const dot = b1[0]! * a2[0]! + b1[1]! * a2[1]! + b1[2]! * a2[2]!;
  const u = a2.map((v, i) => v - dot * b1[i]!);
  const n2 = Math.hypot(...u);
  const b2 = u.map((v) => v / n2);
  const b3 = [b1[1]! * b2[2]! - b1[2]! * b2[1]!, b1[2]! * b2[0]! - b1[0]! * b2[2]!, b1[0]! * b2[1]! - b1[1]! * b2[0]!];
  return [b1[0]!, b2[0]!, b3[0]!, b1[1]!, b2[1]!, b3[1]!, b1[2]!, b2[2]!, b3[2]!];
}

// ---- reverse mode (f64, dense) ----

export interface TwinGradients {
  pose: Float64Array;
  betas: Float64Array;
  trans: Float64Array;
}

const skew = (x: number, y: number, z: number): Mat3 => [0, -z, y, z, 0, -x, -y, x, 0];
const mat3Mul = (a: Mat3, b: Mat3): Mat3 =>
  [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!));

/**
 * ∂R/∂r_k of Rodrigues, Gallego & Yezzi (2015): (r_k·[r]× + [r × (I − R)e_k]×)·R / θ²; [e_k]× at θ → 0.
 * (A different closed form from the one in asm/rotations.ts.)
 */
export function twinRodriguesJacobian(x: number, y: number, z: number): [Mat3, Mat3, Mat3] {
  const t2 = x * x + y * y + z * z;
  if (t2 < 1e-14) return [skew(1, 0, 0), skew(0, 1, 0), skew(0, 0, 1)];
  const R = twinRodrigues(x, y, z);
  const r = [x, y, z];
  return [0, 1, 2].map((k) => {
    const u = [0, 1, 2].map((i) => (i === k ? 1 : 0) - R[i * 3 + k]!); // (I − R) e_k
    const c = [r[1]! * u[2]! - r[2]! * u[1]!, r[2]! * u[0]! - r[0]! * u[2]!, r[0]! * u[1]! - r[1]! * u[0]!];
    const S = skew(x, y, z).map((s, i) => (r[k]! * s + skew(c[0]!, c[1]!, c[2]!)[i]!) / t2);
    return mat3Mul(S, R);
  }) as [Mat3, Mat3, Mat3];
}

/** VJP of twinForward().vertices (gradOutput V×3) or .transforms (gradOutput J×16 column-major). */
export function twinBackward(
  data: BodyModelData, params: TwinParams, output: 'vertices' | 'transforms', gradOutput: ArrayLike<number>,
): TwinGradients {
  const V = data.vTemplate.length / 3, J = data.parents.length, B = data.numBetas;
  const fwd = twinForward(data, params);
  const { vPosed, restJoints } = fwd;
  const rotations: Mat3[] = [];
  for (let j = 0; j < J; j++) rotations.push(twinRodrigues(params.pose[j * 3]!, params.pose[j * 3 + 1]!, params.pose[j * 3 + 2]!));
  const G = twinForwardKinematics(rotations, restJoints, data.parents);
  const trans = new Float64Array(3);
  const gA = Array.from({ length: J }, () => new Array<number>(12).fill(0)); // 3×4 row-major
  const gvShaped = new Float64Array(V * 3);
  const gRot = Array.from({ length: J }, () => new Array<number>(9).fill(0));

  if (output === 'vertices') {
    const gvPosed = new Float64Array(V * 3);
    for (let v = 0; v < V; v++) {
      const g = [gradOutput[v * 3]!, gradOutput[v * 3 + 1]!, gradOutput[v * 3 + 2]!];
      for (let r = 0; r < 3; r++) trans[r]! += g[r]!;
      for (let j = 0; j < J; j++) {
        const w = data.weights[v * J + j]!;
        if (w === 0) continue;
        for (let r = 0; r < 3; r++) {
          for (let c = 0; c < 3; c++) {
            gA[j]![r * 4 + c]! += w * g[r]! * vPosed[v * 3 + c]!;
            gvPosed[v * 3 + c]! += w * G[j]![r * 4 + c]! * g[r]!;
          }
          gA[j]![r * 4 + 3]! += w * g[r]!;
        }
      }
    }
    gvShaped.set(gvPosed);
    if (data.posedirs.length > 0) {
      const P = 9 * (J - 1);
      for (let i = 0; i < V * 3; i++) {
        for (let p = 0; p < P; p++) gRot[1 + Math.floor(p / 9)]![p % 9]! += data.posedirs[i * P + p]! * gvPosed[i]!;
      }
    }
  } else {
    for (let j = 0; j < J; j++) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 4; c++) gA[j]![r * 4 + c] = gradOutput[j * 16 + c * 4 + r]!;
        trans[r]! += gradOutput[j * 16 + 12 + r]!;
      }
    }
  }

  // A_j = [G_rot | G_t − G_rot J_j]
  const gG = gA.map((a, j) => {
    const g = a.slice();
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) g[r * 4 + c]! -= a[r * 4 + 3]! * restJoints[j * 3 + c]!;
    return g;
  });
  const gJ = new Float64Array(J * 3);
  for (let j = 0; j < J; j++) {
    for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) gJ[j * 3 + c]! -= G[j]![r * 4 + c]! * gA[j]![r * 4 + 3]!;
  }
  // FK in reverse: G_j = G_p · [R_j | J_j − J_p]
  for (let j = J - 1; j >= 0; j--) {
    const p = data.parents[j]!;
    const g = gG[j]!;
    if (p < 0) {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) gRot[j]![r * 3 + c]! += g[r * 4 + c]!;
        gJ[j * 3 + r]! += g[r * 4 + 3]!;
      }
      continue;
    }
    const Gp = G[p]!, R = rotations[j]!;
    const t = [0, 1, 2].map((c) => restJoints[j * 3 + c]! - restJoints[p * 3 + c]!);
    for (let a = 0; a < 3; a++) {
      for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) gRot[j]![a * 3 + c]! += Gp[r * 4 + a]! * g[r * 4 + c]!;
      let gt = 0;
      for (let r = 0; r < 3; r++) gt += Gp[r * 4 + a]! * g[r * 4 + 3]!;
      gJ[j * 3 + a]! += gt;
      gJ[p * 3 + a]! -= gt;
    }
    for (let r = 0; r < 3; r++) {
      for (let a = 0; a < 3; a++) {
        let s = g[r * 4 + 3]! * t[a]!;
        for (let c = 0; c < 3; c++) s += g[r * 4 + c]! * R[a * 3 + c]!;
        gG[p]![r * 4 + a]! += s;
      }
      gG[p]![r * 4 + 3]! += g[r * 4 + 3]!;
    }
  }
  const pose = new Float64Array(J * 3);
  for (let j = 0; j < J; j++) {
    const dR = twinRodriguesJacobian(params.pose[j * 3]!, params.pose[j * 3 + 1]!, params.pose[j * 3 + 2]!);
    for (let k = 0; k < 3; k++) for (let i = 0; i < 9; i++) pose[j * 3 + k]! += dR[k]![i]! * gRot[j]![i]!;
  }
  // joints = J_regressor · v_shaped
  for (let j = 0; j < J; j++) {
    for (let v = 0; v < V; v++) {
      const w = data.jRegressor[j * V + v]!;
      if (w !== 0) for (let c = 0; c < 3; c++) gvShaped[v * 3 + c]! += w * gJ[j * 3 + c]!;
    }
  }
  const betas = new Float64Array(B);
  for (let i = 0; i < V * 3; i++) for (let b = 0; b < B; b++) betas[b]! += data.shapedirs[i * B + b]! * gvShaped[i]!;
  return { pose, betas, trans };
}
