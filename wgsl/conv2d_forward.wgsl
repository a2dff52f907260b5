// 3×3 convolution of a channel-major map (layout and window: helpers/conv_window.wgsl), stride
// CONV_STRIDE (1 or 2), zero padding 1, with the input activation fused into the load:
//   z[o, q] = b[o] + Σ_{t, c} W[t·C_in + c][o] · act(x[c, source(q, t)])
// One thread per strip of 4 output texels along x and group of 4 output channels (items =
// out_height · ⌈out_width/4⌉ · ⌈C_out/4⌉, strips fastest): per input row and channel it loads the
// strip's input span once and the 3 taps' weights once, 16 outputs from each load (loads dominate
// on CPU WebGPU). No workgroup memory.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;

const STRIP: u32 = 4u;
/** Input texels along x that a strip of 4 outputs reads: s·ox0 − 1 … s·(ox0 + 3) + 1, 3s + 3 of them. */
const SPAN: u32 = 3u * CONV_STRIDE + 3u;

/** Row k of the layer at output channels o0…o0+3 (zeros past C_out). */
fn layer_row4(k: u32, o0: u32) -> vec4f {
  var w = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { w[j] = layer[k * params.out_channels + o0 + j]; }
  }
  return w;
}

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let strips_per_row = (params.out_width + STRIP - 1u) / STRIP;
  let strips = strips_per_row * params.out_height;
  let e = item_index(thread);
  if (e >= strips * ((params.out_channels + 3u) / 4u)) { return; }
  let o0 = 4u * (e / strips);
  let oy = (e % strips) / strips_per_row;
  let ox0 = STRIP * ((e % strips) % strips_per_row);
  let bias = layer_row4(CONV_TAPS * params.in_channels, o0);
  var acc = array<vec4f, STRIP>(bias, bias, bias, bias);
  let x_first = i32(ox0 * CONV_STRIDE) - 1; // input x of span[0]
  for (var dy = 0u; dy < 3u; dy++) {
    let iy = i32(oy * CONV_STRIDE + dy) - 1;
    if (iy < 0 || iy >= i32(params.in_height)) { continue; }
    for (var c = 0u; c < params.in_channels; c++) {
      let row = c * conv_in_plane() + u32(iy) * params.in_width;
      var span: array<f32, SPAN>;
      for (var i = 0u; i < SPAN; i++) {
        let ix = x_first + i32(i);
        let inside = ix >= 0 && ix < i32(params.in_width);
        span[i] = select(0.0, activate(x[row + u32(clamp(ix, 0, i32(params.in_width) - 1))], CONV_ACTIVATION), inside);
      }
      for (var dx = 0u; dx < 3u; dx++) {
        let w = layer_row4((dy * 3u + dx) * params.in_channels + c, o0);
        for (var t = 0u; t < STRIP; t++) { acc[t] = fma(vec4f(span[CONV_STRIDE * t + dx]), w, acc[t]); }
      }
    }
  }
  for (var t = 0u; t < STRIP; t++) {
    if (ox0 + t >= params.out_width) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (o0 + j < params.out_channels) { z[(o0 + j) * conv_out_plane() + oy * params.out_width + ox0 + t] = acc[t][j]; }
    }
  }
}
