// Puts the per-Gaussian tile counts into depth order (the input of the prefix sum that gives
// each Gaussian's first slot in the intersection list).
@group(0) @binding(1) var<storage, read> tileCounts: array<u32>;
@group(0) @binding(2) var<storage, read> depthOrder: array<u32>;
@group(0) @binding(3) var<storage, read_write> countsInDepthOrder: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= frame.count) { return; }
  countsInDepthOrder[i] = tileCounts[depthOrder[i]];
}
