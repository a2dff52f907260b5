// Playback step 5: composites the drawn splats over the background and writes the screen's
// colours, rgb = C + T·bg (C, 1 − T from draw_splats' linear target), then the sRGB transfer
// function, unless the target view's format is an -srgb one (ENCODE_SRGB = false: the hardware
// encodes on store). Only over the box of drawn pixels (two triangles; none when it is empty):
// the pass's clear colour is the background everywhere else (the figure covers ~10 % of a frame).
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl + helpers/srgb.wgsl.
@group(0) @binding(1) var splatImage: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> counters: array<u32, 12>;

override ENCODE_SRGB: bool = true;

@vertex
fn vertexMain(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  // Corners 0 1 2, 1 2 3 of the box (x0 | x1, y0 | y1), in pixels, to clip space.
  let corner = select(i, i - 2u, i >= 3u);
  let x = f32(select(counters[COUNTER_BOX], counters[COUNTER_BOX + 2u], (corner & 1u) == 1u));
  let y = f32(select(counters[COUNTER_BOX + 1u], counters[COUNTER_BOX + 3u], corner >= 2u));
  return vec4f(2.0 * x / f32(frame.width) - 1.0, 1.0 - 2.0 * y / f32(frame.height), 0.0, 1.0);
}

@fragment
fn fragmentMain(@builtin(position) position: vec4f) -> @location(0) vec4f {
  let c = textureLoad(splatImage, vec2i(position.xy), 0);
  let rgb = c.rgb + (1.0 - c.a) * frame.background.xyz;
  if (ENCODE_SRGB) { return vec4f(linear_to_srgb(rgb), 1.0); }
  return vec4f(rgb, 1.0);
}
