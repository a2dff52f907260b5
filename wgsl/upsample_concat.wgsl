// The U-Net decoder's join: [up2(low), skip], channel-major maps (helpers/conv_window.wgsl layout).
//   low: C_low × ⌈H/2⌉ × ⌈W/2⌉, skip: C_skip × H × W, out: (C_low + C_skip) × H × W
//   out[c, y, x] = low[c, ⌊y/2⌋, ⌊x/2⌋]  (c < C_low, nearest upsampling), skip[c − C_low, y, x] after
// Pre-activations are copied as they are: nearest upsampling commutes with the activation the next
// conv applies as it loads. One thread per output element. Needs helpers/dispatch.wgsl.

struct Params {
  low_channels: u32,
  skip_channels: u32,
  width: u32,
  height: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> low: array<f32>;
@group(0) @binding(2) var<storage, read> skip: array<f32>;
@group(0) @binding(3) var<storage, read_write> joined: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let plane = params.width * params.height;
  let e = item_index(thread);
  if (e >= (params.low_channels + params.skip_channels) * plane) { return; }
  let c = e / plane;
  if (c >= params.low_channels) {
    joined[e] = skip[e - params.low_channels * plane];
    return;
  }
  let p = e % plane;
  let low_width = (params.width + 1u) / 2u;
  let low_height = (params.height + 1u) / 2u;
  joined[e] = low[(c * low_height + (p / params.width) / 2u) * low_width + (p % params.width) / 2u];
}
