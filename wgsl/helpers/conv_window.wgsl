// Shared by the 3×3 convolution kernels (conv2d_*.wgsl, src/train/nn/conv2d.ts): their parameters
// (binding 0), the channel-major map layout and the 3×3 window with zero padding 1.
// The loader prepends `const CONV_STRIDE: u32` (1 or 2) and `const CONV_ACTIVATION: u32` (the input's
// activation, helpers/activation.wgsl codes): compile-time constants, so the activation's switch
// folds away (CPU WebGPU would otherwise run every case for every loaded value).
// Maps are C × H × W f32, map[c, y, x] at (c·H + y)·W + x. Tap t = dy·3 + dx (dy, dx = 0…2 for
// offsets −1…+1) of output texel o reads input texel o·stride + (dx − 1, dy − 1); outside the
// input it reads zero. Layer rows: (t·C_in + c) × C_out weights, then the bias row.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl.

struct ConvParams {
  in_channels: u32,
  out_channels: u32,
  in_width: u32,
  in_height: u32,
  out_width: u32,
  out_height: u32,
  accumulate: u32, // backward input: add to the gradient already there instead of overwriting it
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: ConvParams;

const CONV_TAPS: u32 = 9u;

fn conv_tap_offset(tap: u32) -> vec2i {
  return vec2i(i32(tap % 3u) - 1, i32(tap / 3u) - 1);
}

/** The input texel (x, y) that tap `tap` of output texel `out_texel` reads, or −1s in the zero padding. */
fn conv_source(out_texel: vec2u, tap: u32) -> vec2i {
  let at = vec2i(out_texel * CONV_STRIDE) + conv_tap_offset(tap);
  let inside = all(at >= vec2i(0)) && all(at < vec2i(i32(params.in_width), i32(params.in_height)));
  return select(vec2i(-1), at, inside);
}

/** The output texel whose tap `tap` reads input texel `in_texel`, or −1s when none does (stride 2: odd steps). */
fn conv_target(in_texel: vec2u, tap: u32) -> vec2i {
  let step = vec2i(in_texel) - conv_tap_offset(tap); // = stride · output texel
  let stride = i32(CONV_STRIDE);
  if (any(step < vec2i(0)) || any(step % vec2i(stride) != vec2i(0))) { return vec2i(-1); }
  let at = step / vec2i(stride);
  let inside = all(at < vec2i(i32(params.out_width), i32(params.out_height)));
  return select(vec2i(-1), at, inside);
}

fn conv_in_plane() -> u32 {
  return params.in_width * params.in_height;
}

fn conv_out_plane() -> u32 {
  return params.out_width * params.out_height;
}
