// One LSD radix pass, step 3: moves each (key, value) of a block of 1024 to its sorted slot
//   offsets[digit * num_blocks + block] + (number of earlier keys in the block with the same digit).
// Stability: thread t owns the consecutive items 4t…4t+3, and the rank of an item counts the
// same-digit items of all earlier threads (a workgroup prefix sum of per-thread digit counts)
// plus the earlier items of its own thread. No atomics, so the order is deterministic.
// Per-thread digit counts are packed two to a u32 (16-bit fields, ≤ 1024 each), 16 digits in
// two vec4<u32>, so one prefix sum over vectors ranks all digits at once. Needs helpers/dispatch.wgsl.

struct Digit {
  shift: u32,
  bits: u32,
}

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;
const RADIX: u32 = 16u;
const ROWS: u32 = 16u; // THREADS = ROWS × ROWS

@group(0) @binding(0) var<storage, read> src_keys: array<u32>;
@group(0) @binding(1) var<storage, read> src_values: array<u32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read> sizes: array<u32>;
@group(0) @binding(4) var<uniform> digit: Digit;
@group(0) @binding(5) var<storage, read_write> dst_keys: array<u32>;
@group(0) @binding(6) var<storage, read_write> dst_values: array<u32>;

var<workgroup> scan_low: array<vec4u, THREADS>;   // digits 0…7
var<workgroup> scan_high: array<vec4u, THREADS>;  // digits 8…15
var<workgroup> row_low: array<vec4u, ROWS>;
var<workgroup> row_high: array<vec4u, ROWS>;
var<workgroup> block_offsets: array<u32, RADIX>;

// Digit d's 16-bit field: word d / 2 (words 0…3 in `low`, 4…7 in `high`), half d % 2. Selects
// instead of a dynamic vector index, which CPU implementations turn into slow per-lane code.
fn digit_field(low: vec4u, high: vec4u, d: u32) -> u32 {
  let word = vec4u(d >> 1u);
  let picked = select(vec4u(0u), low, vec4u(0u, 1u, 2u, 3u) == word) + select(vec4u(0u), high, vec4u(4u, 5u, 6u, 7u) == word);
  let packed = picked.x + picked.y + picked.z + picked.w;
  return (packed >> ((d & 1u) * 16u)) & 0xffffu;
}

// A packed 1 in digit d's field, for the vector holding words first_word…first_word + 3.
fn unit(d: u32, first_word: u32) -> vec4u {
  let one = 1u << ((d & 1u) * 16u);
  let words = vec4u(first_word, first_word + 1u, first_word + 2u, first_word + 3u);
  return select(vec4u(0u), vec4u(one), words == vec4u(d >> 1u));
}

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let n = sizes[0];
  let num_blocks = sizes[1];
  let in_range = block < num_blocks;
  if (t < RADIX && in_range) { block_offsets[t] = offsets[t * num_blocks + block]; }

  let mask = (1u << digit.bits) - 1u;
  let base = block * BLOCK + t * ITEMS;
  var item_keys: array<u32, ITEMS>;
  var digits: array<u32, ITEMS>;
  var own_low = vec4u(0u);
  var own_high = vec4u(0u);
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k;
    if (in_range && i < n) {
      item_keys[k] = src_keys[i];
      let d = (item_keys[k] >> digit.shift) & mask;
      digits[k] = d;
      own_low += unit(d, 0u);
      own_high += unit(d, 4u);
    }
  }

  // Exclusive raking scan of the packed counts over the workgroup's threads (16 rows of 16
  // threads scanned serially, then the earlier rows' totals added; two barriers). Fields never
  // carry into each other: no field exceeds 1024.
  scan_low[t] = own_low;
  scan_high[t] = own_high;
  workgroupBarrier();
  if (t < ROWS) {
    var sum_low = vec4u(0u);
    var sum_high = vec4u(0u);
    for (var k = 0u; k < ROWS; k++) {
      let low = scan_low[t * ROWS + k];
      let high = scan_high[t * ROWS + k];
      scan_low[t * ROWS + k] = sum_low;
      scan_high[t * ROWS + k] = sum_high;
      sum_low += low;
      sum_high += high;
    }
    row_low[t] = sum_low;
    row_high[t] = sum_high;
  }
  workgroupBarrier();

  // Same-digit items in earlier threads; bumped as this thread places its own.
  var rank_low = scan_low[t];
  var rank_high = scan_high[t];
  for (var r = 0u; r < t / ROWS; r++) {
    rank_low += row_low[r];
    rank_high += row_high[r];
  }
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k;
    if (in_range && i < n) {
      let d = digits[k];
      let slot = block_offsets[d] + digit_field(rank_low, rank_high, d);
      dst_keys[slot] = item_keys[k];
      dst_values[slot] = src_values[i];
      rank_low += unit(d, 0u);
      rank_high += unit(d, 4u);
    }
  }
}
