// One LSD radix pass, step 1: per block of 1024 keys, how many keys have each 4-bit digit.
// Writes counts[digit * num_blocks + block] (digit-major, so an exclusive scan of the whole array
// gives every (digit, block) its first output slot). sizes[0] = key count, sizes[1] = num_blocks.
// Needs helpers/dispatch.wgsl.

struct Digit {
  shift: u32,
  bits: u32,
}

const THREADS: u32 = 256u;
const ITEMS: u32 = 4u;
const BLOCK: u32 = 1024u;
const RADIX: u32 = 16u;

@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read> sizes: array<u32>;
@group(0) @binding(2) var<uniform> digit: Digit;
@group(0) @binding(3) var<storage, read_write> counts: array<u32>;

var<workgroup> histogram: array<atomic<u32>, RADIX>;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = linear_workgroup_index(workgroup_id, num_workgroups);
  let n = sizes[0];
  let num_blocks = sizes[1];
  if (t < RADIX) { atomicStore(&histogram[t], 0u); }
  workgroupBarrier();
  let mask = (1u << digit.bits) - 1u;
  for (var k = 0u; k < ITEMS; k++) {
    // Order does not matter for counting, so read strided (coalesced).
    let i = block * BLOCK + k * THREADS + t;
    if (block < num_blocks && i < n) {
      atomicAdd(&histogram[(keys[i] >> digit.shift) & mask], 1u);
    }
  }
  workgroupBarrier();
  if (t < RADIX && block < num_blocks) {
    counts[t * num_blocks + block] = atomicLoad(&histogram[t]);
  }
}
