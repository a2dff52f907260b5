// Batched pose math for the SDK (src/body/pose-math.ts). Buffers are f64; 3×3 matrices are
// COLUMN-major here (gl-matrix mat3 layout), 4×4 transforms column-major (gl-matrix mat4);
// quaternions (x, y, z, w); 6D = the first two matrix columns (Zhou et al. 2019).
import {
  rodrigues, matrixToQuat, quatToMatrix, axisAngleToQuat, quatToAxisAngle, rot6dToMatrix, quatSlerp,
} from './rotations';
import { forwardKinematics } from './kinematics';

const ROW = memory.data(72);  // one row-major 3×3
const QUAT = memory.data(32); // one quaternion

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 3); }

/** Column-major 3×3 at `col` → row-major ROW scratch. */
function loadColumnMajor(col: usize): void {
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) store<f64>(at(ROW, r * 3 + c), load<f64>(at(col, c * 3 + r)));
}
/** Row-major ROW scratch → column-major 3×3 at `col`. */
function storeColumnMajor(col: usize): void {
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) store<f64>(at(col, c * 3 + r), load<f64>(at(ROW, r * 3 + c)));
}

export function axisAnglesToMatrices(n: i32, aa: usize, out: usize): void {
  for (let i = 0; i < n; i++) { rodrigues(at(aa, i * 3), ROW); storeColumnMajor(at(out, i * 9)); }
}
export function matricesToAxisAngles(n: i32, m: usize, out: usize): void {
  for (let i = 0; i < n; i++) { loadColumnMajor(at(m, i * 9)); matrixToQuat(ROW, QUAT); quatToAxisAngle(QUAT, at(out, i * 3)); }
}
export function axisAnglesToQuats(n: i32, aa: usize, out: usize): void {
  for (let i = 0; i < n; i++) axisAngleToQuat(at(aa, i * 3), at(out, i * 4));
}
export function quatsToAxisAngles(n: i32, q: usize, out: usize): void {
  for (let i = 0; i < n; i++) quatToAxisAngle(at(q, i * 4), at(out, i * 3));
}
export function quatsToMatrices(n: i32, q: usize, out: usize): void {
  for (let i = 0; i < n; i++) { quatToMatrix(at(q, i * 4), ROW); storeColumnMajor(at(out, i * 9)); }
}
export function matricesToQuats(n: i32, m: usize, out: usize): void {
  for (let i = 0; i < n; i++) { loadColumnMajor(at(m, i * 9)); matrixToQuat(ROW, at(out, i * 4)); }
}
export function rot6dsToMatrices(n: i32, d: usize, out: usize): void {
  for (let i = 0; i < n; i++) { rot6dToMatrix(at(d, i * 6), ROW); storeColumnMajor(at(out, i * 9)); }
}
export function matricesToRot6ds(n: i32, m: usize, out: usize): void {
  // column-major: the first two columns are the first six numbers
  for (let i = 0; i < n; i++) for (let k = 0; k < 6; k++) store<f64>(at(out, i * 6 + k), load<f64>(at(m, i * 9 + k)));
}
export function quatsSlerp(n: i32, a: usize, b: usize, t: f64, out: usize): void {
  for (let i = 0; i < n; i++) quatSlerp(at(a, i * 4), at(b, i * 4), t, at(out, i * 4));
}

/**
 * Global transforms of a kinematic tree: `rot` J column-major 3×3 local rotations, `jRest` J×3 rest
 * joints, `parents` i32 J (root −1 first, parents[j] < j) → `out` J column-major 4×4 (G_j).
 * `scratch` must hold 21·J f64 (row-major rotations and 3×4 transforms).
 */
export function forwardKinematicsBatch(J: i32, rot: usize, jRest: usize, parents: usize, scratch: usize, out: usize): void {
  const rowRot = scratch, G = at(scratch, J * 9);
  for (let j = 0; j < J; j++) {
    loadColumnMajor(at(rot, j * 9));
    memory.copy(at(rowRot, j * 9), ROW, 72);
  }
  forwardKinematics(J, parents, rowRot, jRest, G);
  for (let j = 0; j < J; j++) {
    const g = at(G, j * 12), o = at(out, j * 16);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) store<f64>(at(o, c * 4 + r), load<f64>(at(g, r * 4 + c)));
    store<f64>(at(o, 3), 0); store<f64>(at(o, 7), 0); store<f64>(at(o, 11), 0); store<f64>(at(o, 15), 1);
  }
}
