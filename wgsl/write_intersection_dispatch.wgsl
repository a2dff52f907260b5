// Clamps the GPU-side intersection total to the list's capacity and writes the indirect
// dispatch size for the kernels that run once per intersection (no CPU readback).
// counts[0] = total from the prefix sum, counts[1] ← min(total, capacity).
@group(0) @binding(1) var<storage, read_write> counts: array<u32>;
@group(0) @binding(2) var<storage, read_write> dispatchArgs: array<u32>;

const MAX_GROUPS_X: u32 = 65535u;

@compute @workgroup_size(1)
fn main() {
  let n = min(counts[0], frame.capacity);
  counts[1] = n;
  let groups = (n + 255u) / 256u;
  dispatchArgs[0] = min(groups, MAX_GROUPS_X);
  dispatchArgs[1] = max(1u, (groups + MAX_GROUPS_X - 1u) / MAX_GROUPS_X);
  dispatchArgs[2] = 1u;
}
