// Backward of conv2d_forward.wgsl with respect to its input (the previous layer's pre-activations):
//   grad_x[c, p] = act′(x[c, p]) · Σ_{t, o, q : source(q, t) = p} W[t·C_in + c][o] · grad_z[o, q]
// written, or added to what grad_x holds when params.accumulate ≠ 0 (a map that feeds two layers:
// the U-Net's skip connections). One thread per strip of 4 input texels along x (x0 a multiple of
// 4, so of the stride) and group of 4 input channels; per output row and channel it loads the
// strip's grad_z span once. Output texel ox reads input texel s·ox + dx − 1, so input x0 + t gets
// tap dx from ox = (x0 + t + 1 − dx) / s when that divides: span index (t + 1 − dx)/s + 1 of the span
// g0, g1, … that starts at ox = x0/s − 1.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> grad_z: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_x: array<f32>;

const STRIP: u32 = 4u;

/** grad_z at column ox of the output row starting at `row`, 0 outside. */
fn grad_at(row: u32, ox: i32) -> vec4f {
  let inside = ox >= 0 && ox < i32(params.out_width);
  return vec4f(select(0.0, grad_z[row + u32(clamp(ox, 0, i32(params.out_width) - 1))], inside));
}

/** The weights of tap (dy, dx) from input channels c0…c0+3 (zeros past C_in) to output channel o. */
fn layer_column4(dy: u32, dx: u32, c0: u32, o: u32) -> vec4f {
  var w = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < params.in_channels) { w[j] = layer[((dy * 3u + dx) * params.in_channels + c0 + j) * params.out_channels + o]; }
  }
  return w;
}

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let strips_per_row = (params.in_width + STRIP - 1u) / STRIP;
  let strips = strips_per_row * params.in_height;
  let e = item_index(thread);
  if (e >= strips * ((params.in_channels + 3u) / 4u)) { return; }
  let c0 = 4u * (e / strips);
  let iy = (e % strips) / strips_per_row;
  let x0 = STRIP * ((e % strips) % strips_per_row);
  let ox_first = i32(x0 / CONV_STRIDE) - 1; // output column of g0
  var acc = array<vec4f, STRIP>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var dy = 0u; dy < 3u; dy++) {
    let output_row = conv_output_coordinate(iy, dy, params.out_height);
    if (output_row < 0) { continue; }
    let oy = u32(output_row);
    for (var o = 0u; o < params.out_channels; o++) {
      let row = o * conv_out_plane() + oy * params.out_width;
      let w0 = layer_column4(dy, 0u, c0, o);
      let w1 = layer_column4(dy, 1u, c0, o);
      let w2 = layer_column4(dy, 2u, c0, o);
      let g0 = grad_at(row, ox_first);
      let g1 = grad_at(row, ox_first + 1);
      let g2 = grad_at(row, ox_first + 2);
      let g3 = grad_at(row, ox_first + 3);
      // Input x0 + t gets tap dx from g[(t + 1 − dx)/s + 1] when s divides t + 1 − dx (written out).
      if (CONV_STRIDE == 1u) {
        let g4 = grad_at(row, ox_first + 4);
        let g5 = grad_at(row, ox_first + 5);
        acc[0] = fma(g2, w0, fma(g1, w1, fma(g0, w2, acc[0])));
        acc[1] = fma(g3, w0, fma(g2, w1, fma(g1, w2, acc[1])));
        acc[2] = fma(g4, w0, fma(g3, w1, fma(g2, w2, acc[2])));
        acc[3] = fma(g5, w0, fma(g4, w1, fma(g3, w2, acc[3])));
      } else {
        acc[0] = fma(g1, w1, acc[0]);
        acc[1] = fma(g2, w0, fma(g1, w2, acc[1]));
        acc[2] = fma(g2, w1, acc[2]);
        acc[3] = fma(g3, w0, fma(g2, w2, acc[3]));
      }
    }
  }
  for (var t = 0u; t < STRIP; t++) {
    if (x0 + t >= params.in_width) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (c0 + j >= params.in_channels) { break; }
      let i = (c0 + j) * conv_in_plane() + iy * params.in_width + x0 + t;
      var g = acc[t][j] * activate_derivative(x[i], CONV_ACTIVATION);
      if (params.accumulate != 0u) { g += grad_x[i]; }
      grad_x[i] = g;
    }
  }
}
