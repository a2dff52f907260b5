// Backward of skin_gaussians.wgsl, step 2: ∂L/∂T_j = Σ over the partial rows of
// skin_gaussians_backward.wgsl (max(1, 256 / J) rows per block of 256 Gaussians).
// One workgroup per joint: thread t sums entry e = t % 16 over every 16th row (lane t / 16) in
// chunks of 32 rows (two-level, so f32 error grows with 32 + rows / 512, not with rows), then the
// 16 lanes of each entry are added with a tree in workgroup memory. Deterministic, no atomics.
// Writes grad_transforms[16 j + e], e = 4 c + r (column-major 4 × 4); row 3 does not affect
// the posed position, so its gradient is 0.

struct Params {
  count: u32,
  num_joints: u32,
}

const THREADS: u32 = 256u;
const ENTRIES: u32 = 16u;
const LANES: u32 = 16u; // THREADS / ENTRIES
const CHUNK: u32 = 32u;
const BLOCK: u32 = 256u; // Gaussians per block in skin_gaussians_backward.wgsl

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_transforms: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sums: array<f32, THREADS>;

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) workgroup_id: vec3u, @builtin(local_invocation_index) t: u32) {
  let j = workgroup_id.x;
  let e = t % ENTRIES;
  let lane = t / ENTRIES;
  let c = e / 4u;
  let r = e % 4u;
  let num_rows = (params.count + BLOCK - 1u) / BLOCK * max(1u, THREADS / params.num_joints);
  var total = 0.0;
  if (r < 3u) {
    var row = lane;
    while (row < num_rows) {
      var chunk = 0.0;
      for (var m = 0u; m < CHUNK && row < num_rows; m++) {
        chunk += partials[(row * params.num_joints + j) * 12u + r * 4u + c];
        row += LANES;
      }
      total += chunk;
    }
  }
  sums[t] = total;
  workgroupBarrier();
  for (var stride = LANES / 2u; stride > 0u; stride >>= 1u) {
    if (lane < stride) { sums[t] += sums[t + stride * ENTRIES]; }
    workgroupBarrier();
  }
  if (lane == 0u) { grad_transforms[16u * j + e] = sums[e]; }
}
