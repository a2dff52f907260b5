// Backward of sample_features.wgsl as a gather (deterministic, no float atomics): the Gaussians'
// UVs are fixed, so the CPU lists once, per texel, the (Gaussian, bilinear weight) pairs that read
// it (a CSR: taps_start[R² + 1], taps[2 · entries] = Gaussian index, f32 bits of the weight).
//   grad_features[c · R² + texel] = Σ_(n, w) ∈ taps(texel) w · grad_out[n · stride + offset + c]
// One thread per texel (its list is read once per channel from cache; writes stay coalesced per
// channel); overwrites grad_features (C × R × R, channel-major).
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  channels: u32,
  resolution: u32,
  stride: u32,
  offset: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> grad_out: array<f32>;
@group(0) @binding(1) var<storage, read> taps_start: array<u32>;
@group(0) @binding(2) var<storage, read> taps: array<u32>;
@group(0) @binding(3) var<storage, read_write> grad_features: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let texel = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  let plane = params.resolution * params.resolution;
  if (texel >= plane) { return; }
  let first = taps_start[texel];
  let end = taps_start[texel + 1u];
  for (var c = 0u; c < params.channels; c++) {
    var sum = 0.0;
    for (var k = first; k < end; k++) {
      let n = taps[2u * k];
      sum += bitcast<f32>(taps[2u * k + 1u]) * grad_out[n * params.stride + params.offset + c];
    }
    grad_features[c * plane + texel] = sum;
  }
}
