// Playback step 4: the sorted visible splats (order: Gaussian indices, front to back) as quads, in
// one non-instanced draw of two triangles per splat (vertex 6k…6k+5 → splat k, corners 0 1 2, 1 2 3;
// the 3σ square [xy ± radius] that the rasterizer bins by) into a linear float target (rgba32float,
// or rgba16float on a device without 'float32-blendable').
// The fragment shades exactly as rasterize_forward.wgsl: at the pixel centre, α = min(0.99,
// o·exp(−½dᵀΣ'⁻¹d)), discarded where α < 1/255, and returns premultiplied (α·c, α).
// Blending is front to back (the pipeline's blend state: src·(1 − dst.a) + dst): the draw order
// is the rasterizer's (ascending depth), dst.a holds 1 − T, so each splat adds c·α·T and the
// target ends as (Σ cᵢαᵢTᵢ, 1 − T_final); present_splat_image adds T_final·bg once.
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl.
@group(0) @binding(1) var<storage, read> splats: array<DrawSplat>;
@group(0) @binding(2) var<storage, read> order: array<u32>;

struct Varyings {
  @builtin(position) position: vec4f,
  @location(0) @interpolate(flat) xy: vec2f,
  @location(1) @interpolate(flat) conic: vec4f,
  @location(2) @interpolate(flat) color: vec3f,
}

@vertex
fn vertexMain(@builtin(vertex_index) vertexIndex: u32) -> Varyings {
  let k = vertexIndex / VERTICES_PER_SPLAT;
  let c = vertexIndex - VERTICES_PER_SPLAT * k;
  let v = select(c, c - 2u, c >= 3u);
  let s = splats[order[k]];
  let corner = vec2f(f32(v & 1u), f32(v >> 1u)) * 2.0 - 1.0;
  let p = s.xy + corner * s.radius;
  let ndc = vec2f(2.0 * p.x / f32(frame.width) - 1.0, 1.0 - 2.0 * p.y / f32(frame.height));
  return Varyings(vec4f(ndc, 0.0, 1.0), s.xy, s.conic, s.color);
}

@fragment
fn fragmentMain(in: Varyings) -> @location(0) vec4f {
  // in.position.xy is the pixel centre (px + 0.5, py + 0.5), as in the rasterizer.
  let power = gaussianPower(in.conic, in.position.xy - in.xy);
  if (power > 0.0 || power < POWER_SKIP) { discard; }
  let alpha = min(ALPHA_MAX, in.conic.w * exp(power));
  if (alpha < ALPHA_MIN) { discard; }
  return vec4f(in.color * alpha, alpha);
}
