// Backward of skin_gaussians.wgsl, step 2: ∂L/∂T_j = Σ over the partial rows of
// skin_gaussians_backward.wgsl (max(1, 256 / J) rows per block of 256 Gaussians), one workgroup per output entry: strided partial sums then a tree
// in workgroup memory (accurate for hundreds of thousands of Gaussians, deterministic).
// Workgroup e writes grad_transforms[e], e = j · 16 + c · 4 + r (column-major 4 × 4 per joint);
// row 3 does not affect the posed position, so its gradient is 0.

struct Params {
  count: u32,
  num_joints: u32,
}

const THREADS: u32 = 256u;
const BLOCK: u32 = 256u; // Gaussians per block in skin_gaussians_backward.wgsl

@group(0) @binding(0) var<storage, read> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad_transforms: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sums: array<f32, THREADS>;

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) workgroup_id: vec3u, @builtin(local_invocation_index) t: u32) {
  let e = workgroup_id.x;
  let j = e / 16u;
  let c = (e % 16u) / 4u;
  let r = e % 4u;
  let num_rows = (params.count + BLOCK - 1u) / BLOCK * max(1u, THREADS / params.num_joints);
  var sum = 0.0;
  if (r < 3u) {
    for (var row = t; row < num_rows; row += THREADS) {
      sum += partials[(row * params.num_joints + j) * 12u + r * 4u + c];
    }
  }
  sums[t] = sum;
  workgroupBarrier();
  for (var stride = THREADS / 2u; stride > 0u; stride >>= 1u) {
    if (t < stride) { sums[t] += sums[t + stride]; }
    workgroupBarrier();
  }
  if (t == 0u) { grad_transforms[e] = sums[0]; }
}
