// Shared by the chunked radix sort's kernels (src/gpu/chunked-radix-sort.ts): each invocation owns
// one chunk of CHUNK consecutive pairs and walks it in order, with its digit histogram or write
// cursors in private memory: no workgroup memory and no barriers in the per-pair kernels, which a
// CPU implementation of WebGPU (SwiftShader) runs ~30× faster than the block-wise radix sort.
// Counts are digit-major: counts[d * maxChunks + j] for digit d of chunk j, then RADIX digit bases.

const CHUNK: u32 = 128u;
const RADIX: u32 = 64u;       // 6-bit digits

struct SortPass {
  shift: u32,                 // the digit's lowest key bit
  mask: u32,                  // (1 << digit bits) − 1, at most RADIX − 1
  maxChunks: u32,             // row length of counts (chunks of the sorter's largest count)
  countIndex: u32,            // the pair count is countBuffer[countIndex]…
  capacity: u32,              // …clamped to this (maxCount and the buffers' sizes)
}

@group(0) @binding(0) var<uniform> sortPass: SortPass;
@group(0) @binding(1) var<storage, read> countBuffer: array<u32>;

fn pairCount() -> u32 {
  return min(countBuffer[sortPass.countIndex], sortPass.capacity);
}

fn digitOf(key: u32) -> u32 {
  return (key >> sortPass.shift) & sortPass.mask;
}
