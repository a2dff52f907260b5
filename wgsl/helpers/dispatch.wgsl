// Large dispatches are split into x × y workgroups (x ≤ 65535, the WebGPU per-dimension limit);
// this gives the linear workgroup index. Workgroups past the real count must do nothing.
fn linear_workgroup_index(workgroup_id: vec3u, num_workgroups: vec3u) -> u32 {
  return workgroup_id.x + workgroup_id.y * num_workgroups.x;
}

// One thread per item: a kernel declares `@compute @workgroup_size(ITEM_THREADS) fn main(thread: ItemThread)`
// and handles item item_index(thread) (none when it is past the count). dispatchItems in
// src/train/nn/kernel-utils.ts dispatches ceil(items / ITEM_THREADS) workgroups that way.
const ITEM_THREADS: u32 = 256u;

struct ItemThread {
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) local_index: u32,
}

fn item_index(thread: ItemThread) -> u32 {
  return linear_workgroup_index(thread.workgroup_id, thread.num_workgroups) * ITEM_THREADS + thread.local_index;
}
