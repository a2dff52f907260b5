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

/** Row k of the layer at output channels o0…o0+3 (zeros past C_out). */
fn layer_row4(k: u32, o0: u32) -> vec4f {
  var w = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { w[j] = layer[k * params.out_channels + o0 + j]; }
  }
  return w;
}

/** act(x) at column ix of the input row starting at `row`, 0 in the zero padding. */
fn input_at(row: u32, ix: i32) -> vec4f {
  let inside = ix >= 0 && ix < i32(params.in_width);
  return vec4f(select(0.0, activate(x[row + u32(clamp(ix, 0, i32(params.in_width) - 1))], CONV_ACTIVATION), inside));
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
  // The strip reads input columns s·ox0 − 1 … s·(ox0 + 3) + 1: v0…v5 at stride 1, v0…v8 at stride 2.
  // Output t takes taps dx = 0, 1, 2 from v[s·t + dx] (written out: constant indices stay in registers).
  let x_first = conv_input_coordinate(ox0, 0u);
  for (var dy = 0u; dy < 3u; dy++) {
    let iy = conv_input_coordinate(oy, dy);
    if (iy < 0 || iy >= i32(params.in_height)) { continue; }
    for (var c = 0u; c < params.in_channels; c++) {
      let row = c * conv_in_plane() + u32(iy) * params.in_width;
      let w0 = layer_row4((dy * 3u + 0u) * params.in_channels + c, o0);
      let w1 = layer_row4((dy * 3u + 1u) * params.in_channels + c, o0);
      let w2 = layer_row4((dy * 3u + 2u) * params.in_channels + c, o0);
      let v0 = input_at(row, x_first);
      let v1 = input_at(row, x_first + 1);
      let v2 = input_at(row, x_first + 2);
      let v3 = input_at(row, x_first + 3);
      let v4 = input_at(row, x_first + 4);
      let v5 = input_at(row, x_first + 5);
      if (CONV_STRIDE == 1u) {
        acc[0] = fma(v0, w0, fma(v1, w1, fma(v2, w2, acc[0])));
        acc[1] = fma(v1, w0, fma(v2, w1, fma(v3, w2, acc[1])));
        acc[2] = fma(v2, w0, fma(v3, w1, fma(v4, w2, acc[2])));
        acc[3] = fma(v3, w0, fma(v4, w1, fma(v5, w2, acc[3])));
      } else {
        let v6 = input_at(row, x_first + 6);
        let v7 = input_at(row, x_first + 7);
        let v8 = input_at(row, x_first + 8);
        acc[0] = fma(v0, w0, fma(v1, w1, fma(v2, w2, acc[0])));
        acc[1] = fma(v2, w0, fma(v3, w1, fma(v4, w2, acc[1])));
        acc[2] = fma(v4, w0, fma(v5, w1, fma(v6, w2, acc[2])));
        acc[3] = fma(v6, w0, fma(v7, w1, fma(v8, w2, acc[3])));
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
