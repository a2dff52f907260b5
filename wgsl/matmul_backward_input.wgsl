// Backward of matmul_forward.wgsl with respect to its input:
//   grad_x = (grad_z · Wᵀ) ⊙ act′(x)        grad_z: N × O, W: I × O (rows 0…I−1 of layer), x, grad_x: N × I
// i.e. it yields the gradient of the previous layer's pre-activations directly (with act =
// identity: the gradient of the network input). Same 64 × 64 tiling as the forward pass, stepping
// over O in slices of 16. Workgroup (x, y) = (row tile, input-column tile).
// Needs helpers/activation.wgsl.

struct Params {
  rows: u32,
  inputs: u32,
  outputs: u32,
  activation: u32,
}

const TILE: u32 = 64u;
const TILE_K: u32 = 16u;

@group(0) @binding(0) var<storage, read> grad_z: array<f32>;
@group(0) @binding(1) var<storage, read> layer: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_x: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> g_tile: array<f32, 1024>; // [64 rows][16 k]
var<workgroup> wt_tile: array<f32, 1024>; // [16 k][64 input columns] = Wᵀ slice

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let row0 = workgroup_id.x * TILE;
  let col0 = workgroup_id.y * TILE;
  // acc[r][c]: output (row local.y + 16 r, column local.x + 16 c).
  var acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var k0 = 0u; k0 < params.outputs; k0 += TILE_K) {
    for (var m = 0u; m < 4u; m++) {
      let e = t + 256u * m;
      let row = row0 + e / TILE_K;
      let k = e % TILE_K;
      var gv = 0.0;
      if (row < params.rows && k0 + k < params.outputs) { gv = grad_z[row * params.outputs + k0 + k]; }
      g_tile[e] = gv;
      // Consecutive threads read consecutive k of one row of W (contiguous in memory).
      let col = col0 + e / TILE_K;
      var wv = 0.0;
      if (col < params.inputs && k0 + k < params.outputs) { wv = layer[col * params.outputs + k0 + k]; }
      wt_tile[k * TILE + e / TILE_K] = wv;
    }
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let b = vec4f(wt_tile[k * TILE + local.x + 0u], wt_tile[k * TILE + local.x + 16u], wt_tile[k * TILE + local.x + 32u], wt_tile[k * TILE + local.x + 48u]);
      acc[0] = fma(vec4f(g_tile[(local.y + 0u) * TILE_K + k]), b, acc[0]);
      acc[1] = fma(vec4f(g_tile[(local.y + 16u) * TILE_K + k]), b, acc[1]);
      acc[2] = fma(vec4f(g_tile[(local.y + 32u) * TILE_K + k]), b, acc[2]);
      acc[3] = fma(vec4f(g_tile[(local.y + 48u) * TILE_K + k]), b, acc[3]);
    }
    workgroupBarrier();
  }
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
