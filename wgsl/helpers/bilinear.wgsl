// Bilinear taps on an R × R texel grid (row 0 = top = v 1, texel centres at +0.5, clamp to edge):
// 4 texel indices row · R + col and their weights, which sum to 1. The CPU twin of this mapping is
// bilinearTaps in src/train/nn/feature-tensor.ts (it builds the backward pass's gather lists).
struct BilinearTaps {
  texels: array<u32, 4>,
  weights: array<f32, 4>,
}

fn bilinear_taps(uv: vec2f, resolution: u32) -> BilinearTaps {
  let r = f32(resolution);
  let p = vec2f(uv.x * r - 0.5, (1.0 - uv.y) * r - 0.5);
  let base = floor(p);
  let f = p - base;
  let last = i32(resolution) - 1;
  let c0 = u32(clamp(i32(base.x), 0, last));
  let c1 = u32(clamp(i32(base.x) + 1, 0, last));
  let r0 = u32(clamp(i32(base.y), 0, last));
  let r1 = u32(clamp(i32(base.y) + 1, 0, last));
  var taps: BilinearTaps;
  taps.texels = array<u32, 4>(r0 * resolution + c0, r0 * resolution + c1, r1 * resolution + c0, r1 * resolution + c1);
  taps.weights = array<f32, 4>((1.0 - f.x) * (1.0 - f.y), f.x * (1.0 - f.y), (1.0 - f.x) * f.y, f.x * f.y);
  return taps;
}
