// Backward of conv2d_forward.wgsl with respect to the layer:
//   grad_layer[t·C_in + c][o] = Σ_q act(x[c, source(q, t)]) · grad_z[o, q]     (zero-padded taps add 0)
//   grad_layer[9·C_in][o]     = Σ_q grad_z[o, q]                              (the bias row)
// overwritten. One thread per layer row k and group of 4 output channels, summing over the output
// texels row by row (a short f32 sum per row, then the sum of the rows: the rounding error grows
// with √width + √height rather than with the texel count). Deterministic, no atomics.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> grad_z: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_layer: array<f32>;

/** grad_z at output texel q for output channels o0…o0+3 (zeros past C_out). */
fn grad_z4(q: u32, o0: u32) -> vec4f {
  var g = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { g[j] = grad_z[(o0 + j) * conv_out_plane() + q]; }
  }
  return g;
}

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let groups = (params.out_channels + 3u) / 4u;
  let rows = CONV_TAPS * params.in_channels + 1u;
  let e = item_index(thread);
  if (e >= rows * groups) { return; }
  let k = e / groups;
  let o0 = 4u * (e % groups);
  let is_bias = k == CONV_TAPS * params.in_channels;
  let tap = k / params.in_channels;
  let c = k % params.in_channels;
  var acc = vec4f(0.0);
  for (var oy = 0u; oy < params.out_height; oy++) {
    var row_acc = vec4f(0.0);
    for (var ox = 0u; ox < params.out_width; ox++) {
      let q = oy * params.out_width + ox;
      var v = 1.0;
      if (!is_bias) {
        let at = conv_source(vec2u(ox, oy), tap);
        if (at.x < 0) { continue; }
        v = activate(x[c * conv_in_plane() + u32(at.y) * params.in_width + u32(at.x)], params.activation);
      }
      row_acc = fma(vec4f(v), grad_z4(q, o0), row_acc);
    }
    acc += row_acc;
  }
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { grad_layer[k * params.out_channels + o0 + j] = acc[j]; }
  }
}
