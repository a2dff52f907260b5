// Large dispatches are split into x × y workgroups (x ≤ 65535, the WebGPU per-dimension limit);
// this gives the linear workgroup index. Workgroups past the real count must do nothing.
fn linear_workgroup_index(workgroup_id: vec3u, num_workgroups: vec3u) -> u32 {
  return workgroup_id.x + workgroup_id.y * num_workgroups.x;
}
