// Step 2 of the chunked gradient reductions (matmul_backward_weights.wgsl, conv2d_backward_weights.wgsl):
// sums `chunks` partial blocks of `size` values. One thread per entry e < size:
//   sums[e] = Σ_chunk partials[chunk · size + e]      (Kahan-compensated; overwrites, 0 for no chunks)
// Needs helpers/dispatch.wgsl.

struct Params {
  size: u32,
  chunks: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.size) { return; }
  var sum = 0.0;
  var compensation = 0.0;
  for (var c = 0u; c < params.chunks; c++) {
    let y = partials[c * params.size + e] - compensation;
    let next = sum + y;
    compensation = (next - sum) - y;
    sum = next;
  }
  sums[e] = sum;
}
