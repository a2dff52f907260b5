// Playback step 4: the sorted visible splats (order: Gaussian indices, front to back), one triangle
// each in one non-instanced draw (vertices 3k…3k+2 → splat k), into a linear float target
// (rgba32float, or rgba16float on a device without 'float32-blendable'). The triangle is the
// equilateral one (in the ellipse's frame) just around the ellipse where α falls to 1/255,
// o·exp(−½dᵀΣ'⁻¹d) = 1/255: semi-axes sqrt(2·ln(255·o)·λᵢ) along Σ' 's eigenvectors (3.33σ for
// o = 1), so every pixel the fragment keeps is inside. One triangle instead of the two of a quad:
// half the vertices and triangle setups, and no 2×2 pixel blocks shaded twice along a quad's
// diagonal — SwiftShader draws it 25 % faster than two triangles of the rasterizer's 3σ square.
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

// Corners of the equilateral triangle around the circle of radius 1.02 (its incircle): 2 % more
// than the unit circle, so the rasterizer's vertex snapping (1/256 pixel) never cuts a pixel
// where α ≥ 1/255 (the semi-axes are ≥ 1.8 pixels).
const TRIANGLE = array<vec2f, 3>(vec2f(-1.7667, -1.02), vec2f(1.7667, -1.02), vec2f(0.0, 2.04));

// Corner v's offset from the mean: the unit triangle mapped onto the α = 1/255 ellipse of Σ' =
// conic⁻¹ (major axis at angle ½·atan2(2b, a − c)); a point where o ≤ 1/255 (nothing to draw).
fn triangleCorner(conic: vec4f, v: u32) -> vec2f {
  let det = conic.x * conic.z - conic.y * conic.y;
  let cov = vec3f(conic.z, -conic.y, conic.x) / det;
  let mid = 0.5 * (cov.x + cov.z);
  let r = length(vec2f(0.5 * (cov.x - cov.z), cov.y));
  let angle = 0.5 * atan2(2.0 * cov.y, cov.x - cov.z);
  let major = vec2f(cos(angle), sin(angle));
  let reach = max(0.0, 2.0 * log(255.0 * conic.w));
  let unit = TRIANGLE[v];
  return unit.x * sqrt(reach * (mid + r)) * major + unit.y * sqrt(reach * max(0.0, mid - r)) * vec2f(-major.y, major.x);
}

@vertex
fn vertexMain(@builtin(vertex_index) vertexIndex: u32) -> Varyings {
  let k = vertexIndex / VERTICES_PER_SPLAT;
  let s = splats[order[k]];
  let p = s.xy + triangleCorner(s.conic, vertexIndex - VERTICES_PER_SPLAT * k);
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
