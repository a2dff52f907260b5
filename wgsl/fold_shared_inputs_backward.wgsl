// Backward of fold_shared_inputs.wgsl: from the folded layer's gradient
//   grad_folded = [∂L/∂W_row; ∂L/∂b]   ((R + 1) × O, from matmul_backward_weights*.wgsl)
// writes the full layer-0 gradient ((I + 1) × O, I = R + S):
//   ∂L/∂W_row = grad_folded rows,  ∂L/∂W_shared[j] = p_j · ∂L/∂b,  ∂L/∂b = grad_folded row R
// and, in S extra threads, ∂L/∂p_j = Σ_o W_shared[j, o] · ∂L/∂b_o. Overwrites both outputs.
// Needs helpers/dispatch.wgsl.

struct Params {
  row_inputs: u32,
  shared_inputs: u32,
  outputs: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> layer: array<f32>;
@group(0) @binding(1) var<storage, read> shared_values: array<f32>;
@group(0) @binding(2) var<storage, read> grad_folded: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_layer: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_shared: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  let O = params.outputs;
  let R = params.row_inputs;
  let S = params.shared_inputs;
  let layer_size = (R + S + 1u) * O;
  if (e < R * O) {
    grad_layer[e] = grad_folded[e];
  } else if (e < (R + S) * O) {
    let j = e / O - R;
    grad_layer[e] = shared_values[j] * grad_folded[R * O + e % O];
  } else if (e < layer_size) {
    grad_layer[e] = grad_folded[R * O + e % O];
  } else if (e < layer_size + S) {
    let j = e - layer_size;
    var sum = 0.0;
    for (var o = 0u; o < O; o++) { sum = fma(layer[(R + j) * O + o], grad_folded[R * O + o], sum); }
    grad_shared[j] = sum;
  }
}
