// One level of a deterministic pairwise sum: output j of each row adds the 64 values
// input[j + k·outputs], k = 0…63 (strided, so neighbouring threads read neighbouring values),
// as a balanced binary tree kept in registers (a binary counter of partial sums: the order is
// ((v0 + v1) + (v2 + v3)) + …, fixed). The caller repeats levels until each row is one value, so
// the result never depends on scheduling (no atomics) and the rounding error grows like log2(count).
// No workgroup memory or barriers (fast on CPU WebGPU too).
//   input: rows × count f32, row r at r·count
//   output[out_offset + r·outputs + j] = Σ_k input[r·count + j + k·outputs]  (within count)
// outputs = ceil(count / 64). Dispatch: outputs threads split over x and y (helpers/dispatch.wgsl), z = row.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  outputs: u32,
  out_offset: u32,
  _pad: u32,
}

const FAN_IN: u32 = 64u;
const LEVELS: u32 = 6u; // log2(FAN_IN)

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> output: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let j = item_index(thread);
  let row = thread.workgroup_id.z;
  if (j >= params.outputs) { return; }
  // partial[l] holds the sum of the last complete group of 2^l values not yet merged upwards.
  var partial: array<f32, 7>;
  for (var k = 0u; k < FAN_IN; k++) {
    let i = j + k * params.outputs;
    var carry = 0.0;
    if (i < params.count) { carry = input[row * params.count + i]; }
    var level = 0u;
    for (var bits = k; (bits & 1u) == 1u; bits >>= 1u) {
      carry = partial[level] + carry;
      level++;
    }
    partial[level] = carry;
  }
  output[params.out_offset + row * params.outputs + j] = partial[LEVELS];
}
