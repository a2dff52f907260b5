// Exclusive scan inside blocks of 1024 u32 (256 threads × 4 consecutive items): writes each
// element's prefix within its block to `output` and the block's total to `block_sums[block]`.
// The element count of this level is sizes[level]. Needs helpers/dispatch.wgsl.
// No subgroup operations: a raking scan in workgroup memory works everywhere.

struct Level {
  index: u32,
}

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;
const ROWS: u32 = 16u; // THREADS = ROWS × ROWS

@group(0) @binding(0) var<storage, read> input: array<u32>;
@group(0) @binding(1) var<storage, read_write> output: array<u32>;
@group(0) @binding(2) var<storage, read_write> block_sums: array<u32>;
@group(0) @binding(3) var<storage, read> sizes: array<u32>;
@group(0) @binding(4) var<uniform> level: Level;

var<workgroup> partial: array<u32, THREADS>;
var<workgroup> row_totals: array<u32, ROWS>;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let n = sizes[level.index];
  let base = block * BLOCK + t * ITEMS;

  // No early return: every thread must reach the barriers below.
  var items: array<u32, ITEMS>;
  var thread_sum = 0u;
  for (var k = 0u; k < ITEMS; k++) {
    var v = 0u;
    if (base + k < n) { v = input[base + k]; }
    items[k] = v;
    thread_sum += v;
  }

  // Raking scan of the 256 thread sums: 16 rows of 16 are scanned serially by 16 threads, then
  // every thread adds the totals of the rows before its own. Two barriers instead of the 16 a
  // Hillis–Steele scan needs (barriers dominate on CPU implementations such as SwiftShader).
  partial[t] = thread_sum;
  workgroupBarrier();
  if (t < ROWS) {
    var row_sum = 0u;
    for (var k = 0u; k < ROWS; k++) {
      let v = partial[t * ROWS + k];
      partial[t * ROWS + k] = row_sum;
      row_sum += v;
    }
    row_totals[t] = row_sum;
  }
  workgroupBarrier();
  var row_offset = 0u;
  let row = t / ROWS;
  for (var r = 0u; r < row; r++) { row_offset += row_totals[r]; }

  var running = row_offset + partial[t];
  for (var k = 0u; k < ITEMS; k++) {
    if (base + k < n) { output[base + k] = running; }
    running += items[k];
  }
  let blocks = max(1u, (n + BLOCK - 1u) / BLOCK);
  if (t == THREADS - 1u && block < blocks) {
    block_sums[block] = row_offset + row_totals[ROWS - 1u];
  }
}
