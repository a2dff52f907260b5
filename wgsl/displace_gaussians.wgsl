// Canonical Gaussian centres moved by the appearance network's offsets, before skinning:
//   displaced[e] = canonical[e] + offsets[e]      (e over N × 3 f32, metres, canonical frame)
// The backward pass is the identity (∂L/∂offsets = ∂L/∂displaced), so it has no kernel.
// One thread per element. Needs helpers/dispatch.wgsl.

struct Params {
  count: u32, // N × 3
}

@group(0) @binding(0) var<storage, read> canonical: array<f32>;
@group(0) @binding(1) var<storage, read> offsets: array<f32>;
@group(0) @binding(2) var<storage, read_write> displaced: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * 256u + t;
  if (e >= params.count) { return; }
  displaced[e] = canonical[e] + offsets[e];
}
