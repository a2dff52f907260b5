// Playback step 5: composites the drawn splats over the background and writes the screen's
// colours, with a full-screen triangle: rgb = C + T·bg (C, 1 − T from draw_splats' linear
// target), then the sRGB transfer function, unless the target view's format is an -srgb one
// (ENCODE_SRGB = false: the hardware encodes on store).
// Needs helpers/splat_frame.wgsl + helpers/srgb.wgsl.
@group(0) @binding(1) var splatImage: texture_2d<f32>;

override ENCODE_SRGB: bool = true;

@vertex
fn vertexMain(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let xy = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4f(xy * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fragmentMain(@builtin(position) position: vec4f) -> @location(0) vec4f {
  let c = textureLoad(splatImage, vec2i(position.xy), 0);
  let rgb = c.rgb + (1.0 - c.a) * frame.background.xyz;
  if (ENCODE_SRGB) { return vec4f(linear_to_srgb(rgb), 1.0); }
  return vec4f(rgb, 1.0);
}
