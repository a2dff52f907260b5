// Backward of conv2d_forward.wgsl with respect to the layer, step 1 of 2: per band of CHUNK_ROWS
// output rows (chunk),
//   partials[chunk][t·C_in + c][o] = Σ_{q in the band} act(x[c, source(q, t)]) · grad_z[o, q]   (zero padding adds 0)
//   partials[chunk][9·C_in][o]     = Σ_{q in the band} grad_z[o, q]                               (the bias row)
// each a (9·C_in + 1) × C_out block in the layer layout; sum_chunk_partials.wgsl then sums the bands
// (short f32 sums, deterministic, no atomics, and enough threads to fill a GPU). One thread per band,
// tap, group of 4 input channels and group of 4 output channels (items = chunks · (9·⌈C_in/4⌉ + 1) ·
// ⌈C_out/4⌉; the last tap group is the bias): 8 loads give it 16 products.
// Needs helpers/dispatch.wgsl, helpers/activation.wgsl, helpers/conv_window.wgsl.

@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> grad_z: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

const CHUNK_ROWS: u32 = 8u; // CONV_CHUNK_ROWS in src/train/nn/conv2d.ts

/** grad_z at output texel q for output channels o0…o0+3 (zeros past C_out). */
fn grad_z4(q: u32, o0: u32) -> vec4f {
  var g = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (o0 + j < params.out_channels) { g[j] = grad_z[(o0 + j) * conv_out_plane() + q]; }
  }
  return g;
}

/** act(x) at input texel p for input channels c0…c0+3 (zeros past C_in). */
fn x4(p: u32, c0: u32) -> vec4f {
  var v = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (c0 + j < params.in_channels) { v[j] = activate(x[(c0 + j) * conv_in_plane() + p], CONV_ACTIVATION); }
  }
  return v;
}

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let in_groups = (params.in_channels + 3u) / 4u;
  let out_groups = (params.out_channels + 3u) / 4u;
  let tap_groups = CONV_TAPS * in_groups + 1u;
  let chunks = (params.out_height + CHUNK_ROWS - 1u) / CHUNK_ROWS;
  let e = item_index(thread);
  if (e >= chunks * tap_groups * out_groups) { return; }
  let o0 = 4u * (e % out_groups);
  let group = (e / out_groups) % tap_groups;
  let chunk = e / (out_groups * tap_groups);
  let is_bias = group == CONV_TAPS * in_groups;
  let tap = group / in_groups;
  let c0 = 4u * (group % in_groups);
  // acc[j][k]: input channel c0 + j (or the bias in acc[0]), output channel o0 + k.
  var acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  let dy = tap / 3u;
  let dx = tap % 3u;
  for (var oy = chunk * CHUNK_ROWS; oy < min((chunk + 1u) * CHUNK_ROWS, params.out_height); oy++) {
    let iy = conv_input_coordinate(oy, dy);
    if (!is_bias && (iy < 0 || iy >= i32(params.in_height))) { continue; } // a row of zero padding
    var row_acc = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
    for (var ox = 0u; ox < params.out_width; ox++) {
      let g = grad_z4(oy * params.out_width + ox, o0);
      if (is_bias) {
        row_acc[0] += g;
        continue;
      }
      let ix = conv_input_coordinate(ox, dx);
      if (ix < 0 || ix >= i32(params.in_width)) { continue; }
      let v = x4(u32(iy) * params.in_width + u32(ix), c0);
      row_acc[0] = fma(vec4f(v[0]), g, row_acc[0]);
      row_acc[1] = fma(vec4f(v[1]), g, row_acc[1]);
      row_acc[2] = fma(vec4f(v[2]), g, row_acc[2]);
      row_acc[3] = fma(vec4f(v[3]), g, row_acc[3]);
    }
    for (var j = 0u; j < 4u; j++) { acc[j] += row_acc[j]; }
  }
  let size = (CONV_TAPS * params.in_channels + 1u) * params.out_channels;
  let base = chunk * size;
  for (var j = 0u; j < 4u; j++) {
    let k = select(tap * params.in_channels + c0 + j, CONV_TAPS * params.in_channels, is_bias);
    if ((is_bias && j > 0u) || (!is_bias && c0 + j >= params.in_channels)) { break; }
    for (var m = 0u; m < 4u; m++) {
      if (o0 + m < params.out_channels) { partials[base + k * params.out_channels + o0 + m] = acc[j][m]; }
    }
  }
}
