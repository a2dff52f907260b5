// One dense layer of the appearance MLP: Z = act(X) · W + b, all row-major f32.
//   x: N × I (the previous layer's pre-activations, or the network input with act = identity)
//   layer: (I + 1) × O — rows 0…I−1 are W (I × O), row I is the bias b (O)
//   z: N × O pre-activations (the next layer applies its activation when it loads them)
// The activation is fused into the load of X, so a training step keeps one buffer per layer.
// One 64 × 64 block of Z per workgroup (helpers/gemm_tile.wgsl), workgroup (x, y) = (row tile,
// column tile). Needs helpers/activation.wgsl, helpers/matmul_params.wgsl, helpers/gemm_tile.wgsl.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;

fn gemm_a(row: u32, k: u32) -> f32 {
  if (row >= params.rows) { return 0.0; }
  return activate(x[row * params.inputs + k], params.activation);
}

fn gemm_b(k: u32, col: u32) -> f32 {
  if (col >= params.outputs) { return 0.0; }
  return layer[k * params.outputs + col];
}

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let row0 = workgroup_id.x * GEMM_TILE;
  let col0 = workgroup_id.y * GEMM_TILE;
  let acc = gemm_tile(row0, col0, 0u, params.inputs, t, local.xy, true, false);
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + local.y + 16u * r;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + local.x + 16u * c;
      if (row < params.rows && col < params.outputs) {
        z[row * params.outputs + col] = acc[r][c] + layer[params.inputs * params.outputs + col];
      }
    }
  }
}
