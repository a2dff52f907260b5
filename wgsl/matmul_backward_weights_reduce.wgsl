// Backward of matmul_forward.wgsl with respect to the layer, step 2 of 2: sums the per-chunk
// partials of matmul_backward_weights.wgsl. One thread per layer entry e < (I + 1) × O:
//   grad_layer[e] = Σ_chunk partials[chunk · (I + 1) · O + e]      (Kahan-compensated)
// Overwrites grad_layer (layout of the layer: W rows, then the bias row). Needs helpers/dispatch.wgsl.

struct Params {
  rows: u32,
  inputs: u32,
  outputs: u32,
  activation: u32,
}

const THREADS: u32 = 256u;
const CHUNK: u32 = 512u; // as in matmul_backward_weights.wgsl

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_layer: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let size = (params.inputs + 1u) * params.outputs;
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (e >= size) { return; }
  let chunks = (params.rows + CHUNK - 1u) / CHUNK;
  var sum = 0.0;
  var compensation = 0.0;
  for (var c = 0u; c < chunks; c++) {
    let y = partials[c * size + e] - compensation;
    let next = sum + y;
    compensation = (next - sum) - y;
    sum = next;
  }
  grad_layer[e] = sum;
}
