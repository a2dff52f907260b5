// The appearance network's heads: 7 raw MLP outputs per Gaussian → offset, scale, colour.
//   offset δ = max_offset · tanh(o[0…2])                      (metres, bounded: |δ_k| < max_offset)
//   scale  σ = min_scale + (max_scale − min_scale) · sigmoid(o[3])   (metres, isotropic)
//   colour c = sigmoid(o[4…6])                               (linear RGB in (0, 1))
// raw: N × 7, offsets: N × 3, scales: N, colors: N × 3 (all f32, row-major).
// One thread per Gaussian. Needs helpers/dispatch.wgsl and helpers/heads.wgsl.

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> raw: array<f32>;
@group(0) @binding(1) var<storage, read_write> offsets: array<f32>;
@group(0) @binding(2) var<storage, read_write> scales: array<f32>;
@group(0) @binding(3) var<storage, read_write> colors: array<f32>;
@group(0) @binding(4) var<uniform> params: HeadParams;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let n = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (n >= params.count) { return; }
  for (var k = 0u; k < 3u; k++) {
    offsets[3u * n + k] = params.max_offset * safe_tanh(raw[7u * n + k]);
    colors[3u * n + k] = sigmoid(raw[7u * n + 4u + k]);
  }
  scales[n] = params.min_scale + (params.max_scale - params.min_scale) * sigmoid(raw[7u * n + 3u]);
}
