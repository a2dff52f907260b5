// Backward of matmul_forward.wgsl with respect to the layer, step 1 of 2: per chunk of CHUNK rows,
//   partials[chunk] = [act(x), 1]ᵀ · grad_z     over the chunk's rows
// a (I + 1) × O block laid out like the layer (rows 0…I−1: ∂L/∂W, row I: ∂L/∂b = column sums of
// grad_z, which the workgroups of the first row tile accumulate from the values they load anyway).
// matmul_backward_weights_reduce.wgsl then sums the chunks, so every f32 sum stays short (≤ CHUNK
// terms per thread, then a compensated sum over chunks): accurate for N in the hundreds of
// thousands, deterministic (no atomics).
//   x: N × I, grad_z: N × O, partials: chunks × (I + 1) × O
// Workgroup (x, y, z) = (tile of W rows, column tile, chunk); 64 × 64 outputs, 4 × 4 per thread.
// Needs helpers/activation.wgsl.

struct Params {
  rows: u32,
  inputs: u32,
  outputs: u32,
  activation: u32,
}

const TILE: u32 = 64u;
const TILE_K: u32 = 16u;
const CHUNK: u32 = 512u; // rows per partial sum; MATMUL_CHUNK_ROWS in src/train/nn/matmul.ts

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> grad_z: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> x_tile: array<f32, 1024>; // [16 rows][64 W rows]
var<workgroup> g_tile: array<f32, 1024>; // [16 rows][64 columns]

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let i0 = workgroup_id.x * TILE;
  let col0 = workgroup_id.y * TILE;
  let chunk = workgroup_id.z;
  let first = chunk * CHUNK;
  let end = min(first + CHUNK, params.rows);
  // acc[r][c]: output (row local.y + 16 r, column local.x + 16 c).
  var acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  var bias_acc = vec4f(0.0); // Σ grad_z over the chunk for columns local.x + 16 c
  for (var n0 = first; n0 < end; n0 += TILE_K) {
    for (var m = 0u; m < 4u; m++) {
      let e = t + 256u * m;
      let n = n0 + e / TILE;
      let i = i0 + e % TILE;
      var xv = 0.0;
      if (n < end && i < params.inputs) { xv = activate(x[n * params.inputs + i], params.activation); }
      x_tile[e] = xv;
      let col = col0 + e % TILE;
      var gv = 0.0;
      if (n < end && col < params.outputs) { gv = grad_z[n * params.outputs + col]; }
      g_tile[e] = gv;
    }
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let b = vec4f(g_tile[k * TILE + local.x + 0u], g_tile[k * TILE + local.x + 16u], g_tile[k * TILE + local.x + 32u], g_tile[k * TILE + local.x + 48u]);
      bias_acc += b;
      acc[0] = fma(vec4f(x_tile[k * TILE + local.y + 0u]), b, acc[0]);
      acc[1] = fma(vec4f(x_tile[k * TILE + local.y + 16u]), b, acc[1]);
      acc[2] = fma(vec4f(x_tile[k * TILE + local.y + 32u]), b, acc[2]);
      acc[3] = fma(vec4f(x_tile[k * TILE + local.y + 48u]), b, acc[3]);
    }
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
