// Backward of matmul_forward.wgsl with respect to the layer, step 1 of 2: per chunk of CHUNK rows,
//   partials[chunk] = [act(x), 1]ᵀ · grad_z     over the chunk's rows
// a (I + 1) × O block laid out like the layer (rows 0…I−1: ∂L/∂W, row I: ∂L/∂b = column sums of
// grad_z, which the workgroups of the first row tile accumulate from the slices they stage anyway).
// sum_chunk_partials.wgsl then sums the chunks, so every f32 sum stays short (≤ CHUNK terms per
// thread, then a compensated sum over chunks): accurate for N in the hundreds of thousands,
// deterministic (no atomics).
//   x: N × I, grad_z: N × O, partials: chunks × (I + 1) × O
// Workgroup (x, y, z) = (tile of W rows, column tile, chunk); one 64 × 64 block per workgroup
// (helpers/gemm_tile.wgsl, K = the chunk's rows). Needs helpers/activation.wgsl,
// helpers/matmul_params.wgsl, helpers/gemm_tile.wgsl.

const CHUNK: u32 = 512u; // rows per partial sum; MATMUL_CHUNK_ROWS in src/train/nn/matmul.ts

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> grad_z: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

/** act(x)ᵀ[i][n]: consecutive i are contiguous, so the slice is loaded along the rows. */
fn gemm_a(i: u32, n: u32) -> f32 {
  if (i >= params.inputs) { return 0.0; }
  return activate(x[n * params.inputs + i], params.activation);
}

fn gemm_b(n: u32, col: u32) -> f32 {
  if (col >= params.outputs) { return 0.0; }
  return grad_z[n * params.outputs + col];
}

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let i0 = workgroup_id.x * GEMM_TILE;
  let col0 = workgroup_id.y * GEMM_TILE;
  let chunk = workgroup_id.z;
  let first = chunk * CHUNK;
  let end = min(first + CHUNK, params.rows);
  var acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  var bias_acc = vec4f(0.0); // Σ grad_z over the chunk for columns local.x + 16 c
  for (var n0 = first; n0 < end; n0 += GEMM_TILE_K) {
    gemm_load_slice(i0, col0, n0, end, t, false, false);
    workgroupBarrier();
    for (var k = 0u; k < GEMM_TILE_K; k++) { bias_acc += gemm_b_row(k, local.xy); }
    gemm_multiply_slice(&acc, local.xy);
    workgroupBarrier();
  }
  let size = (params.inputs + 1u) * params.outputs;
  for (var r = 0u; r < 4u; r++) {
    let i = i0 + local.y + 16u * r;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + local.x + 16u * c;
      if (i < params.inputs && col < params.outputs) {
        partials[chunk * size + i * params.outputs + col] = acc[r][c];
      }
    }
  }
  if (workgroup_id.x == 0u && local.y == 0u) {
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + local.x + 16u * c;
      if (col < params.outputs) { partials[chunk * size + params.inputs * params.outputs + col] = bias_acc[c]; }
    }
  }
}
