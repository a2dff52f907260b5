// Plain f64 twin of wgsl/sample_posed_uv_map.wgsl (src/train/posed-uv-map.ts): the posed surface on
// the UV layout in the root frame, with the root's rotation built from its axis-angle by Rodrigues
// (not from the body's skinning matrix, as the kernel's matrix is).
import { UNCOVERED_TEXEL, type PosedUvLayout } from '../../src/train/posed-uv-layout.js';

/** Row-major 3×3 rotation of an axis-angle vector. */
export function rodrigues(x: number, y: number, z: number): number[][] {
  const angle = Math.hypot(x, y, z);
  if (angle < 1e-12) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const [a, b, c] = [x / angle, y / angle, z / angle];
  const s = Math.sin(angle), k = 1 - Math.cos(angle);
  return [
    [1 + k * (a * a - 1), -s * c + k * a * b, s * b + k * a * c],
    [s * c + k * a * b, 1 + k * (b * b - 1), -s * a + k * b * c],
    [-s * b + k * a * c, s * a + k * b * c, 1 + k * (c * c - 1)],
  ];
}

/**
 * 3 × R² map: for covered texels R_rootᵀ · (Σ_k b_k v_k − pelvis), else 0. `pose` J×3 axis-angle
 * (only the root's is read), `pelvis` the posed root joint (3), `vertices` V×3 posed.
 */
export function posedUvMapTwin(layout: PosedUvLayout, vertices: ArrayLike<number>, pose: ArrayLike<number>, pelvis: ArrayLike<number>): Float64Array {
  const R2 = layout.resolution ** 2;
  const rot = rodrigues(pose[0]!, pose[1]!, pose[2]!);
  const out = new Float64Array(3 * R2);
  for (let t = 0; t < R2; t++) {
    if (layout.texelVertices[3 * t] === UNCOVERED_TEXEL) continue;
    const p = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const v = layout.texelVertices[3 * t + k]!, w = layout.texelWeights[3 * t + k]!;
      for (let c = 0; c < 3; c++) p[c] += w * vertices[3 * v + c]!;
    }
    const d = [p[0]! - pelvis[0]!, p[1]! - pelvis[1]!, p[2]! - pelvis[2]!];
    for (let c = 0; c < 3; c++) out[c * R2 + t] = rot[0]![c]! * d[0]! + rot[1]![c]! * d[1]! + rot[2]![c]! * d[2]!;
  }
  return out;
}
