// Chunked radix sort, pass step 2 (one workgroup, thread d per digit): turns row d of the counts
// into its exclusive prefix sum over the chunks (in place), then writes the digit's base, the
// number of keys with a smaller digit, at counts[RADIX * maxChunks + d]. A pair's output slot is
// base[d] + counts[d][j] + its rank among the chunk's pairs of digit d.
// Needs helpers/chunk_sort.wgsl.
@group(0) @binding(2) var<storage, read_write> counts: array<u32>;

var<workgroup> totals: array<u32, RADIX>;

@compute @workgroup_size(RADIX)
fn main(@builtin(local_invocation_index) d: u32) {
  let chunks = (pairCount() + CHUNK - 1u) / CHUNK;
  let row = d * sortPass.maxChunks;
  var running = 0u;
  for (var j = 0u; j < chunks; j++) {
    let count = counts[row + j];
    counts[row + j] = running;
    running += count;
  }
  totals[d] = running;
  workgroupBarrier();
  var base = 0u;
  for (var e = 0u; e < d; e++) { base += totals[e]; }
  counts[RADIX * sortPass.maxChunks + d] = base;
}
