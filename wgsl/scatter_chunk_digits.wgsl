// Chunked radix sort, pass step 3: invocation j walks its chunk in order and moves each pair to
// base[d] + counts[d][j] + (pairs of digit d before it in the chunk): stable, deterministic.
// Needs helpers/chunk_sort.wgsl.
@group(0) @binding(2) var<storage, read> counts: array<u32>;
@group(0) @binding(3) var<storage, read> srcKeys: array<u32>;
@group(0) @binding(4) var<storage, read> srcValues: array<u32>;
@group(0) @binding(5) var<storage, read_write> dstKeys: array<u32>;
@group(0) @binding(6) var<storage, read_write> dstValues: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let j = gid.x;
  let n = pairCount();
  if (j * CHUNK >= n) { return; }
  var cursor: array<u32, RADIX>;
  for (var d = 0u; d < RADIX; d++) {
    cursor[d] = counts[RADIX * sortPass.maxChunks + d] + counts[d * sortPass.maxChunks + j];
  }
  for (var i = j * CHUNK; i < min(n, j * CHUNK + CHUNK); i++) {
    let key = srcKeys[i];
    let d = digitOf(key);
    let slot = cursor[d];
    cursor[d] = slot + 1u;
    dstKeys[slot] = key;
    dstValues[slot] = srcValues[i];
  }
}
