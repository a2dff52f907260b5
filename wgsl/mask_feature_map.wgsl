// Multiplies every channel of a channel-major C × H × W map by a per-texel mask (H × W):
//   out[c, p] = map[c, p] · mask[p]
// Its own adjoint: the U-Net encoder masks its input and output with it, and the output gradient in
// the backward pass. One thread per element. Needs helpers/dispatch.wgsl.

struct Params {
  count: u32, // C · H · W
  plane: u32, // H · W
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> feature_map: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> masked: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  masked[e] = feature_map[e] * mask[e % params.plane];
}
