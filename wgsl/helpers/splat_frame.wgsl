// Per-frame uniforms shared by every splat-rasterizer dispatch, and the projection maths that
// forward and backward must evaluate identically. The TS twin (tests/render/raster-twin.ts)
// mirrors every line here in f64.

const TILE_SIZE: u32 = 16u;
const EWA_BLUR: f32 = 0.3;          // added to the projected covariance's diagonal (pixels²)
const ALPHA_MAX: f32 = 0.99;
const ALPHA_MIN: f32 = 1.0 / 255.0;
const T_MIN: f32 = 1e-4;
// exp(−5.6) < 1/255: below this power α < 1/255 whatever the opacity, so skipping the exp
// early gives the same decision as the α test.
const POWER_SKIP: f32 = -5.6;

struct Frame {
  view: mat4x4f,         // world→camera, OpenCV axes
  focal: vec2f,          // fx, fy (pixels)
  principal: vec2f,      // cx, cy (pixels; pixel centres at +0.5)
  clampLo: vec2f,        // lower limits of x/z, y/z used in the EWA Jacobian
  clampHi: vec2f,        // upper limits
  background: vec4f,     // rgb, w unused
  width: u32,
  height: u32,
  tilesX: u32,
  tilesY: u32,
  count: u32,            // number of Gaussians N
  capacity: u32,         // size of the intersection list
  near: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> frame: Frame;

// One projected Gaussian (32 bytes). radius = 0 marks a culled Gaussian.
struct Projected {
  xy: vec2f,             // mean in pixels
  radius: f32,           // ceil(3·sqrt(λmax)) in pixels
  depth: f32,            // camera-space z
  conic: vec4f,          // inverse 2D covariance (A, B, C) and opacity in w
}

fn viewRotation() -> mat3x3f {
  return mat3x3f(frame.view[0].xyz, frame.view[1].xyz, frame.view[2].xyz);
}

// Rows of M = J·W, the Jacobian of the pixel position w.r.t. the world position. J is the
// perspective Jacobian at camera point t with x/z and y/z clamped to [clampLo, clampHi] (as
// 3DGS does, so splats far outside the view do not get absurdly stretched).
struct ProjectionRows {
  m0: vec3f,
  m1: vec3f,
}

fn projectionRows(t: vec3f) -> ProjectionRows {
  let w = viewRotation();
  let tz = t.z;
  let txz = clamp(t.x / tz, frame.clampLo.x, frame.clampHi.x);
  let tyz = clamp(t.y / tz, frame.clampLo.y, frame.clampHi.y);
  let j0 = vec3f(frame.focal.x / tz, 0.0, -frame.focal.x * txz / tz);
  let j1 = vec3f(0.0, frame.focal.y / tz, -frame.focal.y * tyz / tz);
  return ProjectionRows(j0 * w, j1 * w);
}

// 2D covariance (a, b, c) = σ²·M·Mᵀ + 0.3·I.
fn projectedCovariance(rows: ProjectionRows, sigma: f32) -> vec3f {
  let s2 = sigma * sigma;
  return vec3f(
    s2 * dot(rows.m0, rows.m0) + EWA_BLUR,
    s2 * dot(rows.m0, rows.m1),
    s2 * dot(rows.m1, rows.m1) + EWA_BLUR,
  );
}

fn pixelPosition(t: vec3f) -> vec2f {
  return frame.focal * t.xy / t.z + frame.principal;
}

fn splatRadius(cov: vec3f) -> f32 {
  let det = cov.x * cov.z - cov.y * cov.y;
  let mid = 0.5 * (cov.x + cov.z);
  let lambda = mid + sqrt(max(0.1, mid * mid - det));
  return ceil(3.0 * sqrt(lambda));
}

// Tiles [x0, x1) × [y0, y1) touched by the square [xy − r, xy + r], clamped to the image.
fn tileRect(xy: vec2f, radius: f32) -> vec4u {
  let lo = clamp(floor((xy - radius) / f32(TILE_SIZE)), vec2f(0.0), vec2f(f32(frame.tilesX), f32(frame.tilesY)));
  let hi = clamp(floor((xy + radius) / f32(TILE_SIZE)) + 1.0, vec2f(0.0), vec2f(f32(frame.tilesX), f32(frame.tilesY)));
  return vec4u(u32(lo.x), u32(lo.y), u32(hi.x), u32(hi.y));
}

fn tileCount(rect: vec4u) -> u32 {
  if (rect.z <= rect.x || rect.w <= rect.y) { return 0u; }
  return (rect.z - rect.x) * (rect.w - rect.y);
}

// exponent of the Gaussian at pixel-centre offset d = pixel − mean: −½·dᵀ·conic·d.
fn gaussianPower(conic: vec4f, d: vec2f) -> f32 {
  return -0.5 * (conic.x * d.x * d.x + conic.z * d.y * d.y) - conic.y * d.x * d.y;
}
