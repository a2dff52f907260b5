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

@group(0) @binding(0) var<storage, read> src_keys: array<u32>;
@group(0) @binding(1) var<storage, read> src_values: array<u32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read> sizes: array<u32>;
@group(0) @binding(4) var<uniform> digit: Digit;
@group(0) @binding(5) var<storage, read_write> dst_keys: array<u32>;
@group(0) @binding(6) var<storage, read_write> dst_values: array<u32>;

var<workgroup> scan_low: array<vec4u, THREADS>;   // digits 0…7
var<workgroup> scan_high: array<vec4u, THREADS>;  // digits 8…15
var<workgroup> block_offsets: array<u32, RADIX>;

// Digit d's 16-bit field: word d / 2 (words 0…3 in `low`, 4…7 in `high`), half d % 2.
fn digit_field(low: vec4u, high: vec4u, d: u32) -> u32 {
  let word = d >> 1u;
  var packed: u32;
  if (word < 4u) { packed = low[word]; } else { packed = high[word - 4u]; }
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
  var digits: array<u32, ITEMS>;
  var own_low = vec4u(0u);
  var own_high = vec4u(0u);
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k;
    if (in_range && i < n) {
      let d = (src_keys[i] >> digit.shift) & mask;
      digits[k] = d;
      own_low += unit(d, 0u);
      own_high += unit(d, 4u);
    }
  }

  // Inclusive Hillis–Steele scan of the packed counts over the workgroup's threads. Fields
  // never carry into each other: no field exceeds 1024.
  scan_low[t] = own_low;
  scan_high[t] = own_high;
  workgroupBarrier();
  for (var offset = 1u; offset < THREADS; offset <<= 1u) {
    var left_low = vec4u(0u);
    var left_high = vec4u(0u);
    if (t >= offset) {
      left_low = scan_low[t - offset];
      left_high = scan_high[t - offset];
    }
    workgroupBarrier();
    scan_low[t] += left_low;
    scan_high[t] += left_high;
    workgroupBarrier();
  }

  // Exclusive prefix: same-digit items in earlier threads; bumped as this thread places its own.
  var rank_low = scan_low[t] - own_low;
  var rank_high = scan_high[t] - own_high;
  for (var k = 0u; k < ITEMS; k++) {
    let i = base + k;
    if (in_range && i < n) {
      let d = digits[k];
      let slot = block_offsets[d] + digit_field(rank_low, rank_high, d);
      dst_keys[slot] = src_keys[i];
      dst_values[slot] = src_values[i];
      rank_low += unit(d, 0u);
      rank_high += unit(d, 4u);
    }
  }
}
