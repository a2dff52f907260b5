// Backward of skin_gaussians.wgsl, step 1. With M_i = Σ_j W[i, j] T_j and g_i = ∂L/∂posed_i:
//   ∂L/∂x_i = M_i[0:3, 0:3]ᵀ g_i                              (written per Gaussian)
//   ∂L/∂T_j[r, c] = Σ_i W[i, j] g_i[r] [x_i, 1][c], r < 3     (partial sums here)
// Each workgroup (a block of 256 Gaussians) writes `slices` partial rows (slices = max(1, 256 / J)):
// partials[(row · J + j) · 12 + r · 4 + c], row = block · slices + slice; the second pass
// (skin_gaussians_reduce_grads.wgsl) adds the rows up with a tree. No float atomics.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  num_joints: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> canonical: array<f32>;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> transforms: array<mat4x4f>;
@group(0) @binding(3) var<storage, read> grad_posed: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_canonical: array<f32>;
@group(0) @binding(5) var<storage, read_write> partials: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

var<workgroup> block_grads: array<vec3f, THREADS>;
var<workgroup> block_points: array<vec3f, THREADS>;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let first = block * THREADS;
  let i = first + t;
  let num_joints = params.num_joints;

  var g = vec3f(0.0);
  var x = vec3f(0.0);
  if (i < params.count) {
    x = vec3f(canonical[3u * i], canonical[3u * i + 1u], canonical[3u * i + 2u]);
    g = vec3f(grad_posed[3u * i], grad_posed[3u * i + 1u], grad_posed[3u * i + 2u]);
    var m = mat3x3f(vec3f(0.0), vec3f(0.0), vec3f(0.0));
    for (var j = 0u; j < num_joints; j++) {
      let w = weights[i * num_joints + j];
      if (w != 0.0) {
        let tj = transforms[j];
        m += w * mat3x3f(tj[0].xyz, tj[1].xyz, tj[2].xyz);
      }
    }
    let gx = g * m; // row vector × M = Mᵀ g
    grad_canonical[3u * i] = gx.x;
    grad_canonical[3u * i + 1u] = gx.y;
    grad_canonical[3u * i + 2u] = gx.z;
  }
  // Out-of-range Gaussians contribute g = 0.
  block_grads[t] = g;
  block_points[t] = x;
  workgroupBarrier();

  if (first >= params.count) { return; }
  let valid = min(THREADS, params.count - first);
  // Thread per (slice, joint): the block's Gaussians are cut into `slices` interleaved slices so
  // about all 256 threads work (J = 24 → 10 slices); each slice's sums are their own partial row.
  // Reading weights joint-fastest keeps neighbouring threads on neighbouring words.
  let slices = max(1u, THREADS / num_joints);
  for (var e = t; e < slices * num_joints; e += THREADS) {
    let s = e / num_joints;
    let j = e % num_joints;
    var row0 = vec4f(0.0);
    var row1 = vec4f(0.0);
    var row2 = vec4f(0.0);
    for (var k = s; k < valid; k += slices) {
      let w = weights[(first + k) * num_joints + j];
      if (w != 0.0) {
        let wg = w * block_grads[k];
        let xh = vec4f(block_points[k], 1.0);
        row0 += wg.x * xh;
        row1 += wg.y * xh;
        row2 += wg.z * xh;
      }
    }
    let base = ((block * slices + s) * num_joints + j) * 12u;
    for (var c = 0u; c < 4u; c++) {
      partials[base + c] = row0[c];
      partials[base + 4u + c] = row1[c];
      partials[base + 8u + c] = row2[c];
    }
  }
}
