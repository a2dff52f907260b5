// Second half of the multi-level scan: adds each block's scanned offset (the exclusive prefix of
// the block totals) to the block's elements. Needs helpers/dispatch.wgsl.

struct Level {
  index: u32,
}

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;

@group(0) @binding(0) var<storage, read_write> output: array<u32>;
@group(0) @binding(1) var<storage, read> block_offsets: array<u32>;
@group(0) @binding(2) var<storage, read> sizes: array<u32>;
@group(0) @binding(3) var<uniform> level: Level;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let n = sizes[level.index];
  if (block * BLOCK >= n) { return; }
  let offset = block_offsets[block];
  // Strided so neighbouring threads touch neighbouring words.
  for (var k = 0u; k < ITEMS; k++) {
    let i = block * BLOCK + k * THREADS + t;
    if (i < n) { output[i] += offset; }
  }
}
