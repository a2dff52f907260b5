// Chunked radix sort, pass step 1: invocation j counts the digits of the keys in its chunk
// [j·CHUNK, min(n, (j+1)·CHUNK)) and writes counts[d * maxChunks + j].
// Needs helpers/chunk_sort.wgsl.
@group(0) @binding(2) var<storage, read> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let j = gid.x;
  let n = pairCount();
  if (j * CHUNK >= n) { return; }
  var histogram: array<u32, RADIX>;
  for (var i = j * CHUNK; i < min(n, j * CHUNK + CHUNK); i++) {
    let d = digitOf(keys[i]);
    histogram[d] += 1u;
  }
  for (var d = 0u; d < RADIX; d++) {
    counts[d * sortPass.maxChunks + j] = histogram[d];
  }
}
