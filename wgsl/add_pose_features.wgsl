// The pose-conditioned feature map the MLP decodes: the feature tensor plus the U-Net's pose
// features, texel for texel (both C × R × R channel-major):
//   conditioned[e] = features[e] + pose_features[e]
// Its backward pass is the identity into both, so it has no kernel. One thread per element.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32, // C × R × R
}

@group(0) @binding(0) var<storage, read> features: array<f32>;
@group(0) @binding(1) var<storage, read> pose_features: array<f32>;
@group(0) @binding(2) var<storage, read_write> conditioned: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  conditioned[e] = features[e] + pose_features[e];
}
