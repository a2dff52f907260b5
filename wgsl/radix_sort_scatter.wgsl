// One LSD radix pass, step 3: moves each (key, value) of a block of 1024 to its sorted slot
//   offsets[digit * num_blocks + block] + (number of earlier keys in the block with the same digit).
// Stability without atomics deciding the order: every item sets its bit (bit = position in the
// block) in a 1024-bit mask of its digit; its rank is the number of set bits below its own. Per
// digit, a prefix of the mask words' popcounts makes that O(1) per item. Three barriers, scalar
// operations only, deterministic. No subgroup operations. Needs helpers/dispatch.wgsl.

struct Digit {
  shift: u32,
  bits: u32,
}

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;
const RADIX: u32 = 16u;
const WORDS: u32 = 32u; // BLOCK / 32 mask words per digit

@group(0) @binding(0) var<storage, read> src_keys: array<u32>;
@group(0) @binding(1) var<storage, read> src_values: array<u32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read> sizes: array<u32>;
@group(0) @binding(4) var<uniform> digit: Digit;
@group(0) @binding(5) var<storage, read_write> dst_keys: array<u32>;
@group(0) @binding(6) var<storage, read_write> dst_values: array<u32>;

// masks[d * WORDS + w], bit b: the item at block position 32 w + b has digit d.
var<workgroup> masks: array<atomic<u32>, RADIX * WORDS>;
// word_ranks[d * WORDS + w]: items with digit d in mask words 0…w-1.
var<workgroup> word_ranks: array<u32, RADIX * WORDS>;
var<workgroup> block_offsets: array<u32, RADIX>;

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
  for (var e = t; e < RADIX * WORDS; e += THREADS) { atomicStore(&masks[e], 0u); }
  if (t < RADIX && in_range) { block_offsets[t] = offsets[t * num_blocks + block]; }
  workgroupBarrier();

  let mask = (1u << digit.bits) - 1u;
  var item_keys: array<u32, ITEMS>;
  var digits: array<u32, ITEMS>;
  for (var k = 0u; k < ITEMS; k++) {
    let position = t * ITEMS + k;
    let i = block * BLOCK + position;
    if (in_range && i < n) {
      item_keys[k] = src_keys[i];
      digits[k] = (item_keys[k] >> digit.shift) & mask;
      atomicOr(&masks[digits[k] * WORDS + position / 32u], 1u << (position % 32u));
    }
  }
  workgroupBarrier();

  if (t < RADIX) {
    var running = 0u;
    for (var w = 0u; w < WORDS; w++) {
      word_ranks[t * WORDS + w] = running;
      running += countOneBits(atomicLoad(&masks[t * WORDS + w]));
    }
  }
  workgroupBarrier();

  for (var k = 0u; k < ITEMS; k++) {
    let position = t * ITEMS + k;
    let i = block * BLOCK + position;
    if (in_range && i < n) {
      let d = digits[k];
      let word = d * WORDS + position / 32u;
      let below = atomicLoad(&masks[word]) & ((1u << (position % 32u)) - 1u);
      let slot = block_offsets[d] + word_ranks[word] + countOneBits(below);
      dst_keys[slot] = item_keys[k];
      dst_values[slot] = src_values[i];
    }
  }
}
