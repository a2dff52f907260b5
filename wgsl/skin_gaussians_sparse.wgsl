// Linear blend skinning of Gaussian centres from sparse weights (playback):
//   posed_i = Σ_k w_ik · (T_{j_ik} · [x_i, 1]).xyz over Gaussian i's nonzero weights, k = 0…7,
// the joints ascending — the same products in the same order as skin_gaussians.wgsl, which loops
// over all J dense weights and skips the zeros, so the result is the same to the bit with 8 + 2
// loads instead of J (24 for SMPL) per Gaussian. canonical, posed: N × 3 f32; joints: N × 2 u32,
// each four u8 joint indices (slot k in byte k % 4 of word k / 4); weights: N × 2 vec4f (slot k in
// component k % 4 of vector k / 4; unused slots weigh 0); transforms: J column-major 4 × 4.
// Needs helpers/dispatch.wgsl.
struct Params {
  count: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> canonical: array<f32>;
@group(0) @binding(1) var<storage, read> joints: array<vec2u>;
@group(0) @binding(2) var<storage, read> weights: array<vec4f>;
@group(0) @binding(3) var<storage, read> transforms: array<mat4x4f>;
@group(0) @binding(4) var<storage, read_write> posed: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let i = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (i >= params.count) { return; }
  let x = vec4f(canonical[3u * i], canonical[3u * i + 1u], canonical[3u * i + 2u], 1.0);
  let packed = joints[i];
  var p = vec3f(0.0);
  for (var k = 0u; k < 8u; k++) {
    let w = weights[2u * i + k / 4u][k % 4u];
    if (w != 0.0) {
      let j = (packed[k / 4u] >> (8u * (k % 4u))) & 0xffu;
      p += w * (transforms[j] * x).xyz;
    }
  }
  posed[3u * i] = p.x;
  posed[3u * i + 1u] = p.y;
  posed[3u * i + 2u] = p.z;
}
