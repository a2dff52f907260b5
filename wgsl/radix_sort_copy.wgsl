// Copies the first sizes[0] (key, value) pairs from one buffer pair to another: the radix sort
// starts from a copy when it has an odd number of passes, so its last pass lands in the caller's
// buffers. Copies only the count (read on the GPU), not the whole buffer. Needs helpers/dispatch.wgsl.

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;

@group(0) @binding(0) var<storage, read> src_keys: array<u32>;
@group(0) @binding(1) var<storage, read> src_values: array<u32>;
@group(0) @binding(2) var<storage, read> sizes: array<u32>;
@group(0) @binding(3) var<storage, read_write> dst_keys: array<u32>;
@group(0) @binding(4) var<storage, read_write> dst_values: array<u32>;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let n = sizes[0];
  for (var k = 0u; k < ITEMS; k++) {
    let i = block * BLOCK + k * THREADS + t;
    if (i < n) {
      dst_keys[i] = src_keys[i];
      dst_values[i] = src_values[i];
    }
  }
}
