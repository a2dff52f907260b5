// Layer 0 of the MLP when its last S inputs are shared by every row (the frame's pose code):
//   [x_n, p] · W + b = x_n · W_row + (b + p · W_shared)
// so the rows need only the R = I − S per-row inputs and a folded layer
//   folded = [W_row (R × O); b + p · W_shared (1 × O)]       ((R + 1) × O f32, matmul layout)
// built here from layer = [W_row; W_shared (S × O); b] ((I + 1) × O). One thread per folded entry.
// Needs helpers/dispatch.wgsl.

struct Params {
  row_inputs: u32,
  shared_inputs: u32,
  outputs: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> layer: array<f32>;
@group(0) @binding(1) var<storage, read> shared_values: array<f32>;
@group(0) @binding(2) var<storage, read_write> folded: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  let O = params.outputs;
  let R = params.row_inputs;
  if (e >= (R + 1u) * O) { return; }
  if (e < R * O) {
    folded[e] = layer[e];
    return;
  }
  let o = e - R * O;
  var bias = layer[(R + params.shared_inputs) * O + o];
  for (var j = 0u; j < params.shared_inputs; j++) {
    bias = fma(shared_values[j], layer[(R + j) * O + o], bias);
  }
  folded[e] = bias;
}
