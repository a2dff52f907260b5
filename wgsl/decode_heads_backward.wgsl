// Backward of decode_heads.wgsl: ∂L/∂raw (N × 7) from ∂L/∂offsets (N × 3), ∂L/∂scales (N) and
// ∂L/∂colors (N × 3), recomputing the squashing functions from raw. Overwrites grad_raw.
// One thread per Gaussian. Needs helpers/dispatch.wgsl and helpers/heads.wgsl.

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> raw: array<f32>;
@group(0) @binding(1) var<storage, read> grad_offsets: array<f32>;
@group(0) @binding(2) var<storage, read> grad_scales: array<f32>;
@group(0) @binding(3) var<storage, read> grad_colors: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_raw: array<f32>;
@group(0) @binding(5) var<uniform> params: HeadParams;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let n = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (n >= params.count) { return; }
  for (var k = 0u; k < 3u; k++) {
    let th = safe_tanh(raw[7u * n + k]);
    grad_raw[7u * n + k] = grad_offsets[3u * n + k] * params.max_offset * (1.0 - th * th);
    let s = sigmoid(raw[7u * n + 4u + k]);
    grad_raw[7u * n + 4u + k] = grad_colors[3u * n + k] * s * (1.0 - s);
  }
  let s = sigmoid(raw[7u * n + 3u]);
  grad_raw[7u * n + 3u] = grad_scales[n] * (params.max_scale - params.min_scale) * s * (1.0 - s);
}
