// Backward of conv2d_forward.wgsl with respect to its input (the previous layer's pre-activations):
//   grad_x[c, p] = act′(x[c, p]) · Σ_{t, o, q : source(q, t) = p} W[t·C_in + c][o] · grad_z[o, q]
// written, or added to what grad_x holds when params.accumulate ≠ 0 (a map that feeds two layers:
// the U-Net's skip connections). One thread per strip of 4 input texels along x (x0 a multiple of
// 4, so of the stride) and group of 4 input channels; per output row and channel it loads the
// strip's grad_z span once. Output texel ox reads input texel s·ox + dx − 1, so input x0 + t gets
// tap dx from ox = (x0 + t + 1 − dx) / s when that divides: span index (t + 1 − dx)/s + 1 of the span
// that starts at ox = x0/s − 1.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> grad_z: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_x: array<f32>;

const STRIP: u32 = 4u;
const SPAN: u32 = 6u; // output texels x0/s − 1 … x0/s + 4 cover every tap of the strip at stride 1 or 2

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let strips_per_row = (params.in_width + STRIP - 1u) / STRIP;
  let strips = strips_per_row * params.in_height;
  let e = item_index(thread);
  if (e >= strips * ((params.in_channels + 3u) / 4u)) { return; }
  let c0 = 4u * (e / strips);
  let iy = (e % strips) / strips_per_row;
  let x0 = STRIP * ((e % strips) % strips_per_row);
  let ox_first = i32(x0 / CONV_STRIDE) - 1; // output x of span[0]
  var acc = array<vec4f, STRIP>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var dy = 0u; dy < 3u; dy++) {
    let step_y = i32(iy) + 1 - i32(dy); // = stride · oy
    if (step_y < 0 || step_y % i32(CONV_STRIDE) != 0) { continue; }
    let oy = u32(step_y) / CONV_STRIDE;
    if (oy >= params.out_height) { continue; }
    for (var o = 0u; o < params.out_channels; o++) {
      let row = o * conv_out_plane() + oy * params.out_width;
      var span: array<f32, SPAN>;
      for (var i = 0u; i < SPAN; i++) {
        let ox = ox_first + i32(i);
        let inside = ox >= 0 && ox < i32(params.out_width);
        span[i] = select(0.0, grad_z[row + u32(clamp(ox, 0, i32(params.out_width) - 1))], inside);
      }
      for (var dx = 0u; dx < 3u; dx++) {
        var w = vec4f(0.0);
        for (var j = 0u; j < 4u; j++) {
          if (c0 + j < params.in_channels) { w[j] = layer[((dy * 3u + dx) * params.in_channels + c0 + j) * params.out_channels + o]; }
        }
        for (var t = 0u; t < STRIP; t++) {
          let step_x = i32(t) + 1 - i32(dx); // = stride · ox − x0
          if (step_x % i32(CONV_STRIDE) == 0) { acc[t] = fma(vec4f(span[u32(step_x / i32(CONV_STRIDE) + 1)]), w, acc[t]); }
        }
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
