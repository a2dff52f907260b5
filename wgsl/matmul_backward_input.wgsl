// Backward of matmul_forward.wgsl with respect to its input:
//   grad_x = (grad_z · Wᵀ) ⊙ act′(x)        grad_z: N × O, W: I × O (rows 0…I−1 of layer), x, grad_x: N × I
// i.e. it yields the gradient of the previous layer's pre-activations directly (with act =
// identity: the gradient of the network input). One 64 × 64 block of grad_x per workgroup
// (helpers/gemm_tile.wgsl, K = O), workgroup (x, y) = (row tile, input-column tile).
// Needs helpers/activation.wgsl, helpers/matmul_params.wgsl, helpers/gemm_tile.wgsl.

@group(0) @binding(1) var<storage, read> grad_z: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_x: array<f32>;

fn gemm_a(row: u32, k: u32) -> f32 {
  if (row >= params.rows) { return 0.0; }
  return grad_z[row * params.outputs + k];
}

/** Wᵀ[k][col] = W[col][k]: k is contiguous, so the slice is loaded along k. */
fn gemm_b(k: u32, col: u32) -> f32 {
  if (col >= params.inputs) { return 0.0; }
  return layer[col * params.outputs + k];
}

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let row0 = workgroup_id.x * GEMM_TILE;
  let col0 = workgroup_id.y * GEMM_TILE;
  let acc = gemm_tile(row0, col0, 0u, params.outputs, t, local.xy, true, true);
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + local.y + 16u * r;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + local.x + 16u * c;
      if (row < params.rows && col < params.inputs) {
        let i = row * params.inputs + col;
        var g = acc[r][c];
        if (params.activation != 0u) { g *= activate_derivative(x[i], params.activation); }
        grad_x[i] = g;
      }
    }
  }
}
