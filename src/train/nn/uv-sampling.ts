/**
 * Where the feature tensor is sampled: every Gaussian's UV (its texel centre on the R × R UV map)
 * and the bilinear taps of a UV on the R_f × R_f tensor, as helpers/bilinear.wgsl computes them.
 * No GPU code: the GPU feature tensor and CPU code (initialisation from colours) share it.
 */

/** UV coordinates of the texel centres `texels` (row·R + col) of an R × R map: N × 2 (u, v), as the canonical Gaussians lie. */
export function uvFromTexels(texels: Uint32Array, resolution: number): Float32Array {
  const uv = new Float32Array(2 * texels.length);
  texels.forEach((t, i) => {
    uv[2 * i] = ((t % resolution) + 0.5) / resolution;
    uv[2 * i + 1] = 1 - (Math.floor(t / resolution) + 0.5) / resolution;
  });
  return uv;
}

/** The 4 bilinear taps (texel indices and weights) of `u, v` on an R × R grid, as helpers/bilinear.wgsl computes them. */
export function bilinearTaps(u: number, v: number, resolution: number): { texels: number[]; weights: number[] } {
  const x = u * resolution - 0.5, y = (1 - v) * resolution - 0.5;
  const bx = Math.floor(x), by = Math.floor(y);
  const fx = x - bx, fy = y - by;
  const clamp = (k: number) => Math.min(Math.max(k, 0), resolution - 1);
  const c0 = clamp(bx), c1 = clamp(bx + 1), r0 = clamp(by), r1 = clamp(by + 1);
  return {
    texels: [r0 * resolution + c0, r0 * resolution + c1, r1 * resolution + c0, r1 * resolution + c1],
    weights: [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy],
  };
}
