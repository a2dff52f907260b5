// Shared by the 3×3 convolution kernels (conv2d_*.wgsl, src/train/nn/conv2d.ts): their parameters
// (binding 0), the channel-major map layout and the 3×3 window with zero padding 1.
// The loader prepends `const CONV_STRIDE: u32` (1 or 2) and `const CONV_ACTIVATION: u32` (the input's
// activation, helpers/activation.wgsl codes): compile-time constants, so the activation's switch
// folds away (CPU WebGPU would otherwise run every case for every loaded value).
// Maps are C × H × W f32, map[c, y, x] at (c·H + y)·W + x. Tap t = dy·3 + dx (dy, dx = 0…2 for
// offsets −1…+1) of output texel o reads input texel o·stride + (dx − 1, dy − 1); outside the
// input it reads zero. Layer rows: (t·C_in + c) × C_out weights, then the bias row.
// The window is separable, so the helpers below map one coordinate at a time.
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

/** The input row (or column) that output row o reads at window offset d (0…2): o·s + d − 1 (−1 or ≥ size: zero padding). */
fn conv_input_coordinate(o: u32, d: u32) -> i32 {
  return i32(o * CONV_STRIDE + d) - 1;
}

/** The output row (or column) that reads input row i at window offset d, or −1 when none does (stride 2: odd steps; past `size`). */
fn conv_output_coordinate(i: u32, d: u32, size: u32) -> i32 {
  let step = i32(i) + 1 - i32(d); // = stride · o
  if (step < 0 || step % i32(CONV_STRIDE) != 0) { return -1; }
  let o = step / i32(CONV_STRIDE);
  return select(-1, o, o < i32(size));
}

fn conv_in_plane() -> u32 {
  return params.in_width * params.in_height;
}

fn conv_out_plane() -> u32 {
  return params.out_width * params.out_height;
}
