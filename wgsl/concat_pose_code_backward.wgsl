// Backward of concat_pose_code.wgsl: the pose code's gradient is the sum over all rows of the
// gradient of its columns, ∂L/∂code[j] = Σ_n grad_out[n · stride + offset + j]. One workgroup per
// code entry: strided partial sums, then a tree in workgroup memory (accurate for hundreds of
// thousands of rows, deterministic). Overwrites grad_code (length f32).

struct Params {
  count: u32,
  length: u32,
  stride: u32,
  offset: u32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> grad_out: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_code: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sums: array<f32, THREADS>;

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) workgroup_id: vec3u, @builtin(local_invocation_index) t: u32) {
  let j = workgroup_id.x;
  var sum = 0.0;
  for (var n = t; n < params.count; n += THREADS) {
    sum += grad_out[n * params.stride + params.offset + j];
  }
  sums[t] = sum;
  workgroupBarrier();
  for (var half = THREADS / 2u; half > 0u; half >>= 1u) {
    if (t < half) { sums[t] += sums[t + half]; }
    workgroupBarrier();
  }
  if (t == 0u) { grad_code[j] = sums[0]; }
}
