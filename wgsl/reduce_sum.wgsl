// One level of a deterministic tree sum: each workgroup adds one block of 1024 consecutive values
// of one row (z = row) in a fixed order — 4 strided values per thread, then a pairwise tree in
// workgroup memory — and writes the block's sum. The caller repeats levels until each row is one
// value, so the result never depends on scheduling (no atomics).
//   input: rows × count f32, row r at r·count
//   output[out_offset + r·blocks + b] = Σ input[r·count + b·1024 … + 1023] (within count)
// Blocks are split over x and y past 65535 (helpers/dispatch.wgsl); extra workgroups only pass barriers.

struct Params {
  count: u32,
  blocks: u32,
  out_offset: u32,
  _pad: u32,
}

const THREADS: u32 = 256u;
const BLOCK: u32 = 1024u;

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> output: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> partial: array<f32, THREADS>;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let block = workgroup_id.x + workgroup_id.y * num_workgroups.x;
  let row = workgroup_id.z;
  var sum = 0.0;
  if (block < params.blocks) {
    for (var k = 0u; k < BLOCK / THREADS; k++) {
      let i = block * BLOCK + k * THREADS + t;
      if (i < params.count) { sum += input[row * params.count + i]; }
    }
  }
  partial[t] = sum;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride >>= 1u) {
    if (t < stride) { partial[t] += partial[t + stride]; }
    workgroupBarrier();
  }
  if (t == 0u && block < params.blocks) { output[params.out_offset + row * params.blocks + block] = partial[0]; }
}
