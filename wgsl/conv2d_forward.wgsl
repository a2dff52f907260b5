// 3×3 convolution of a channel-major map (layout and window: helpers/conv_window.wgsl), stride 1 or 2,
// zero padding 1, with the input activation fused into the load:
//   z[o, q] = b[o] + Σ_{t, c} W[t·C_in + c][o] · act(x[c, source(q, t)])
// One thread per output texel and group of 4 output channels (items = out_plane · ⌈C_out/4⌉,
// texel fastest so neighbouring threads read neighbouring texels); no workgroup memory, which also
// runs fast on CPU WebGPU. Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> layer: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;

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
  let out_plane = conv_out_plane();
  let e = item_index(thread);
  if (e >= out_plane * ((params.out_channels + 3u) / 4u)) { return; }
  let q = e % out_plane;
  let o0 = 4u * (e / out_plane);
  let out_texel = vec2u(q % params.out_width, q / params.out_width);
  var acc = layer_row4(CONV_TAPS * params.in_channels, o0);
  for (var tap = 0u; tap < CONV_TAPS; tap++) {
    let at = conv_source(out_texel, tap);
    if (at.x < 0) { continue; }
    let texel = u32(at.y) * params.in_width + u32(at.x);
    for (var c = 0u; c < params.in_channels; c++) {
      let v = activate(x[c * conv_in_plane() + texel], params.activation);
      acc = fma(vec4f(v), layer_row4(tap * params.in_channels + c, o0), acc);
    }
  }
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { z[(o0 + j) * out_plane + q] = acc[j]; }
  }
}
