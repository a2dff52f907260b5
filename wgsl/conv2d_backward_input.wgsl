// Backward of conv2d_forward.wgsl with respect to its input (the previous layer's pre-activations):
//   grad_x[c, p] = act′(x[c, p]) · Σ_{t, q : source(q, t) = p} W[t·C_in + c][o] · grad_z[o, q]  (summed over o)
// written, or added to what grad_x holds when params.accumulate ≠ 0 (a map that feeds two layers:
// the U-Net's skip connections). One thread per input texel and group of 4 input channels.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> grad_z: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_x: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let in_plane = conv_in_plane();
  let e = item_index(thread);
  if (e >= in_plane * ((params.in_channels + 3u) / 4u)) { return; }
  let p = e % in_plane;
  let c0 = 4u * (e / in_plane);
  let in_texel = vec2u(p % params.in_width, p / params.in_width);
  var acc = vec4f(0.0);
  for (var tap = 0u; tap < CONV_TAPS; tap++) {
    let at = conv_target(in_texel, tap);
    if (at.x < 0) { continue; }
    let q = u32(at.y) * params.out_width + u32(at.x);
    for (var o = 0u; o < params.out_channels; o++) {
      var w = vec4f(0.0);
      for (var j = 0u; j < 4u; j++) {
        if (c0 + j < params.in_channels) { w[j] = layer[(tap * params.in_channels + c0 + j) * params.out_channels + o]; }
      }
      acc = fma(vec4f(grad_z[o * conv_out_plane() + q]), w, acc);
    }
  }
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j >= params.in_channels) { break; }
    let i = (c0 + j) * in_plane + p;
    var g = acc[j] * activate_derivative(x[i], params.activation);
    if (params.accumulate != 0u) { g += grad_x[i]; }
    grad_x[i] = g;
  }
}
