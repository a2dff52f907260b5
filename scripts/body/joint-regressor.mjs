// Sparse joint regressor: for each joint a band of surface vertices around it, weighted so that
// Σw = 1 and Σw·v = the joint exactly at the mean shape, and so that along every shape component
// the regressed joint follows the rig's own joint (least squares): the minimum change of uniform
// weights that does both.
import { cross, dot, normalize, solve, sub } from './linalg.mjs';

const SECTORS = 12;
const AXIAL_BINS = 4;
/** Weight of the shape-following term: 1 mm of joint error costs as much as a weight change of 0.1. */
const FOLLOW = 1e5;

/**
 * positions: V×3 (m, T-pose rest), joints: J×3, parents: J, dominant: V (joint with the largest
 * skinning weight), components: B arrays V×3 (vertex displacement per β), jointComponents: B arrays
 * J×3 (the rig's joint displacement per β). Returns per joint { indices: number[], weights: number[] }.
 */
export function buildJointRegressor(positions, joints, parents, dominant, components, jointComponents) {
  const J = parents.length;
  const V = dominant.length;
  const children = parents.map((_, j) => parents.map((p, c) => (p === j ? c : -1)).filter((c) => c >= 0));
  const at = (arr, i) => [arr[i * 3], arr[i * 3 + 1], arr[i * 3 + 2]];
  const rows = [];
  for (let j = 0; j < J; j++) {
    const jp = at(joints, j);
    // Band axis: towards the (first) child; leaves continue their parent's bone.
    const axis = children[j].length > 0 ? normalize(sub(at(joints, children[j][0]), jp)) : normalize(sub(jp, at(joints, parents[j])));
    const helper = Math.abs(axis[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
    const e1 = normalize(cross(axis, helper));
    const e2 = cross(axis, e1);
    const allowed = new Set([j, ...children[j], ...(parents[j] >= 0 ? [parents[j]] : [])]);
    for (let halfWidth = 0.03; ; halfWidth *= 1.5) {
      // One vertex per (angular sector × axial bin): the one closest to the axis line.
      const best = new Map();
      for (let v = 0; v < V; v++) {
        if (!allowed.has(dominant[v])) continue;
        const d = sub(at(positions, v), jp);
        const axial = dot(d, axis);
        if (Math.abs(axial) >= halfWidth) continue;
        const x = dot(d, e1), y = dot(d, e2);
        const sector = Math.min(SECTORS - 1, Math.floor(((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * SECTORS));
        const bin = Math.floor(((axial + halfWidth) / (2 * halfWidth)) * AXIAL_BINS);
        const key = sector * AXIAL_BINS + bin;
        const score = Math.hypot(x, y);
        if (!best.has(key) || best.get(key).score > score) best.set(key, { v, score });
      }
      if (best.size < SECTORS * AXIAL_BINS * 0.75 && halfWidth < 0.1) continue;
      const indices = [...best.values()].map((b) => b.v).sort((a, b) => a - b);
      const follow = components.map((comp, k) => ({ displacement: indices.map((v) => at(comp, v)), joint: at(jointComponents[k], j) }));
      rows.push({ indices, weights: regressorWeights(indices.map((v) => at(positions, v)), jp, follow) });
      break;
    }
  }
  return rows;
}

/**
 * min |w − 1/K|² + FOLLOW·Σₖ |Σᵢ wᵢ·dₖᵢ − gₖ|²  subject to Σw = 1, Σw·p = target
 * (KKT system; dₖᵢ = displacement of point i along component k, gₖ = the joint's).
 */
function regressorWeights(points, target, follow) {
  const K = points.length;
  const E = [points.map(() => 1), ...[0, 1, 2].map((c) => points.map((p) => p[c]))];
  const e = [1, ...target];
  const C = follow.flatMap((f) => [0, 1, 2].map((c) => f.displacement.map((d) => d[c])));
  const g = follow.flatMap((f) => f.joint);
  const n = K + E.length;
  const A = Array.from({ length: n }, () => new Array(n).fill(0));
  const b = new Array(n).fill(0);
  for (let i = 0; i < K; i++) {
    A[i][i] = 1;
    b[i] = 1 / K;
    for (let r = 0; r < C.length; r++) {
      b[i] += FOLLOW * C[r][i] * g[r];
      for (let k = 0; k < K; k++) A[i][k] += FOLLOW * C[r][i] * C[r][k];
    }
    for (let r = 0; r < E.length; r++) A[i][K + r] = A[K + r][i] = E[r][i];
  }
  for (let r = 0; r < E.length; r++) b[K + r] = e[r];
  return solve(A, b, n).slice(0, K);
}
