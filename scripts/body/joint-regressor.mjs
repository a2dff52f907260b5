// Sparse joint regressor: for each joint a ring of surface vertices around it, weighted so that
// Σw = 1 and Σw·v = the joint exactly at the mean shape (minimum-norm correction of uniform
// weights), so regressed joints follow the surface when the shape changes.
import { cross, dot, normalize, solve, sub } from './linalg.mjs';

const SECTORS = 12;

/**
 * positions: V×3 (m, T-pose rest), joints: J×3, parents: J, dominant: V (joint with the largest
 * skinning weight). Returns per joint { indices: number[], weights: number[] }.
 */
export function buildJointRegressor(positions, joints, parents, dominant) {
  const J = parents.length;
  const V = dominant.length;
  const children = parents.map((_, j) => parents.map((p, c) => (p === j ? c : -1)).filter((c) => c >= 0));
  const at = (arr, i) => [arr[i * 3], arr[i * 3 + 1], arr[i * 3 + 2]];
  const rows = [];
  for (let j = 0; j < J; j++) {
    const jp = at(joints, j);
    // Ring axis: towards the (first) child; leaves continue their parent's bone.
    const axis = children[j].length > 0 ? normalize(sub(at(joints, children[j][0]), jp)) : normalize(sub(jp, at(joints, parents[j])));
    const helper = Math.abs(axis[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
    const e1 = normalize(cross(axis, helper));
    const e2 = cross(axis, e1);
    const allowed = new Set([j, ...children[j], ...(parents[j] >= 0 ? [parents[j]] : [])]);
    for (let halfWidth = 0.02; ; halfWidth *= 1.5) {
      // One vertex per (angular sector × side of the joint): the one closest to the axis line.
      const best = new Map();
      for (let v = 0; v < V; v++) {
        if (!allowed.has(dominant[v])) continue;
        const d = sub(at(positions, v), jp);
        const axial = dot(d, axis);
        if (Math.abs(axial) > halfWidth) continue;
        const x = dot(d, e1), y = dot(d, e2);
        const radial = Math.hypot(x, y);
        const sector = Math.min(SECTORS - 1, Math.floor(((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * SECTORS));
        const key = sector * 2 + (axial >= 0 ? 1 : 0);
        const score = radial + Math.abs(axial);
        if (!best.has(key) || best.get(key).score > score) best.set(key, { v, score });
      }
      if (best.size < SECTORS * 2 && halfWidth < 0.1) continue;
      const indices = [...best.values()].map((b) => b.v).sort((a, b) => a - b);
      rows.push({ indices, weights: affineWeights(indices.map((v) => at(positions, v)), jp) });
      break;
    }
  }
  return rows;
}

/** Minimum-norm change of uniform weights so that Σw = 1 and Σw·p = target. */
function affineWeights(points, target) {
  const K = points.length;
  const A = [points.map(() => 1), ...[0, 1, 2].map((c) => points.map((p) => p[c]))];
  const b = [1, ...target];
  const u = new Array(K).fill(1 / K);
  const residual = b.map((bi, r) => bi - A[r].reduce((s, a, k) => s + a * u[k], 0));
  const AAt = A.map((ri) => A.map((rj) => ri.reduce((s, a, k) => s + a * rj[k], 0)));
  const lambda = solve(AAt, residual, 4);
  return u.map((uk, k) => uk + A.reduce((s, row, r) => s + row[k] * lambda[r], 0));
}
