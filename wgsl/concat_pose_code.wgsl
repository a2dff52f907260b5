// Broadcasts the frame's pose code (P f32, e.g. 6D rotations of joints 1…23) into columns
// offset…offset+P−1 of every row of the MLP input (N × stride f32), next to the sampled features.
// One thread per (row, code entry). Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  length: u32,
  stride: u32,
  offset: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> code: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (e >= params.count * params.length) { return; }
  let n = e / params.length;
  let j = e % params.length;
  out[n * params.stride + params.offset + j] = code[j];
}
