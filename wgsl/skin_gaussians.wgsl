// Linear blend skinning of Gaussian centres: posed_i = Σ_j W[i, j] · (T_j · [x_i, 1]).xyz
// canonical, posed: N × 3 f32 (tightly packed xyz); weights: N × J f32 (row-major);
// transforms: J column-major 4 × 4 (posed ← canonical), which is exactly WGSL's mat4x4f layout.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  num_joints: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> canonical: array<f32>;
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> transforms: array<mat4x4f>;
@group(0) @binding(3) var<storage, read_write> posed: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let i = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (i >= params.count) { return; }
  let x = vec4f(canonical[3u * i], canonical[3u * i + 1u], canonical[3u * i + 2u], 1.0);
  var p = vec3f(0.0);
  let row = i * params.num_joints;
  for (var j = 0u; j < params.num_joints; j++) {
    let w = weights[row + j];
    // Most weights are zero (a Gaussian follows a few bones): skip their matrix products.
    if (w != 0.0) { p += w * (transforms[j] * x).xyz; }
  }
  posed[3u * i] = p.x;
  posed[3u * i + 1u] = p.y;
  posed[3u * i + 2u] = p.z;
}
