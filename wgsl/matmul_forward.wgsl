// One dense layer of the appearance MLP: Z = act(X) · W + b, all row-major f32.
//   x: N × I (the previous layer's pre-activations, or the network input with act = identity)
//   layer: (I + 1) × O — rows 0…I−1 are W (I × O), row I is the bias b (O)
//   z: N × O pre-activations (the next layer applies its activation when it loads them)
// The activation is fused into the load of X, so a training step keeps one buffer per layer.
// Tiles: each 16 × 16 workgroup computes a 64 × 64 block of Z (4 × 4 per thread), stepping over I
// in slices of 16 staged in workgroup memory. Workgroup (x, y) = (row tile, column tile).
// Needs helpers/activation.wgsl.

struct Params {
  rows: u32,
  inputs: u32,
  outputs: u32,
  activation: u32,
}

const TILE: u32 = 64u;
const TILE_K: u32 = 16u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> layer: array<f32>;
@group(0) @binding(2) var<storage, read_write> z: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> x_tile: array<f32, 1024>; // [64 rows][16 k]
var<workgroup> w_tile: array<f32, 1024>; // [16 k][64 columns]

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
  for (var k0 = 0u; k0 < params.inputs; k0 += TILE_K) {
    for (var m = 0u; m < 4u; m++) {
      let e = t + 256u * m;
      let row = row0 + e / TILE_K;
      let xk = k0 + e % TILE_K;
      var xv = 0.0;
      if (row < params.rows && xk < params.inputs) { xv = activate(x[row * params.inputs + xk], params.activation); }
      x_tile[e] = xv;
      let wk = k0 + e / TILE;
      let col = col0 + e % TILE;
      var wv = 0.0;
      if (wk < params.inputs && col < params.outputs) { wv = layer[wk * params.outputs + col]; }
      w_tile[e] = wv;
    }
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let b = vec4f(w_tile[k * TILE + local.x + 0u], w_tile[k * TILE + local.x + 16u], w_tile[k * TILE + local.x + 32u], w_tile[k * TILE + local.x + 48u]);
      acc[0] = fma(vec4f(x_tile[(local.y + 0u) * TILE_K + k]), b, acc[0]);
      acc[1] = fma(vec4f(x_tile[(local.y + 16u) * TILE_K + k]), b, acc[1]);
      acc[2] = fma(vec4f(x_tile[(local.y + 32u) * TILE_K + k]), b, acc[2]);
      acc[3] = fma(vec4f(x_tile[(local.y + 48u) * TILE_K + k]), b, acc[3]);
    }
    workgroupBarrier();
  }
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
