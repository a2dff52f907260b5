// Draws the rasterizer's image buffer (H×W×3 f32 linear RGB, row-major) into a colour attachment of
// the same size with a full-screen triangle, sRGB-encoded (linear_to_srgb, wgsl/helpers/srgb.wgsl):
// canvas formats (rgba8unorm, bgra8unorm) store what they are given and the screen shows it as sRGB.
// For an -srgb target format the hardware encodes on store: `encodeSrgb` is false there.
override encodeSrgb: bool = true;

@group(0) @binding(1) var<storage, read> image: array<f32>;

@vertex
fn vertexMain(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let xy = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4f(xy * 2.0 - 1.0, 0.0, 1.0);
}

@fragment
fn fragmentMain(@builtin(position) position: vec4f) -> @location(0) vec4f {
  let p = min(vec2u(position.xy), vec2u(frame.width - 1u, frame.height - 1u));
  let pix = p.y * frame.width + p.x;
  let linear = vec3f(image[3u * pix], image[3u * pix + 1u], image[3u * pix + 2u]);
  return vec4f(select(linear, linear_to_srgb(linear), encodeSrgb), 1.0);
}
