// Bilinear sample of the appearance feature tensor at each Gaussian's UV coordinate:
//   out[n · stride + offset + c] = Σ_4 w · F[c · R² + row · R + col]       c < C
// F: C × R × R f32, channel-major; row 0 is the top of the UV square (v = 1); texel centres at
// +0.5, so texel (row, col) is centred at u = (col + 0.5) / R, v = 1 − (row + 0.5) / R; clamp to edge.
// uv: N × 2 f32 (u, v). out: N × stride f32 (the MLP input; columns offset…offset+C−1 are written).
// One thread per Gaussian. Needs helpers/dispatch.wgsl and helpers/bilinear.wgsl.

struct Params {
  count: u32,
  channels: u32,
  resolution: u32,
  stride: u32,
  offset: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> features: array<f32>;
@group(0) @binding(1) var<storage, read> uv: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let n = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (n >= params.count) { return; }
  let taps = bilinear_taps(vec2f(uv[2u * n], uv[2u * n + 1u]), params.resolution);
  let plane = params.resolution * params.resolution;
  for (var c = 0u; c < params.channels; c++) {
    var sum = 0.0;
    for (var k = 0u; k < 4u; k++) { sum += taps.weights[k] * features[c * plane + taps.texels[k]]; }
    out[n * params.stride + params.offset + c] = sum;
  }
}
