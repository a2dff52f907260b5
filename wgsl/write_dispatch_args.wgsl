// Turns a GPU-side element count into per-level sizes and indirect dispatch arguments, so
// kernels that work on a count produced on the GPU never need a CPU readback.
//   n0 = min(count_source[count_index], capacity) * scale
//   for each level k < levels: sizes[k] = n_k, blocks_k = max(1, ceil(n_k / BLOCK)),
//     args[3k..3k+2] = blocks_k split into (x ≤ MAX_WORKGROUPS_X, y, 1), n_{k+1} = blocks_k
//   sizes[levels] = n_levels
// At least one block per level, so every level's block-sum slot is written even for count 0.
// BLOCK is the block size of the kernels dispatched with these arguments (256 threads × 4 items).

struct Plan {
  count_index: u32,
  capacity: u32,
  scale: u32,
  levels: u32,
}

const BLOCK: u32 = 1024u;
// The device's maxComputeWorkgroupsPerDimension (set by the pipeline; tests lower it to exercise the split).
override MAX_WORKGROUPS_X: u32 = 65535u;

@group(0) @binding(0) var<storage, read> count_source: array<u32>;
@group(0) @binding(1) var<uniform> plan: Plan;
@group(0) @binding(2) var<storage, read_write> sizes: array<u32>;
@group(0) @binding(3) var<storage, read_write> args: array<u32>;

@compute @workgroup_size(1)
fn main() {
  var n = min(count_source[plan.count_index], plan.capacity) * plan.scale;
  for (var k = 0u; k < plan.levels; k++) {
    sizes[k] = n;
    let blocks = max(1u, (n + BLOCK - 1u) / BLOCK);
    args[3u * k] = min(blocks, MAX_WORKGROUPS_X);
    args[3u * k + 1u] = (blocks + MAX_WORKGROUPS_X - 1u) / MAX_WORKGROUPS_X;
    args[3u * k + 2u] = 1u;
    n = blocks;
  }
  sizes[plan.levels] = n;
}
