// Alpha-composites each 16×16 tile's Gaussians front to back, one workgroup per tile, one
// thread per pixel. Per pixel (centre (px + 0.5, py + 0.5)): α = min(0.99, o·exp(power)),
// skipped when α < 1/255; compositing stops before the Gaussian that would take T below 1e-4.
// C = Σ cᵢαᵢTᵢ + T_final·bg. Also writes, per pixel, T_final and how many list entries were
// walked up to and including the last contributor: what rasterize_backward needs.
//
// SHARED_BATCH > 0: the list is loaded cooperatively into shared memory, SHARED_BATCH entries at
// a time, and the tile stops once every pixel is saturated (the 3DGS scheme, for real GPUs).
// SHARED_BATCH = 0: each thread reads the list straight from storage (for CPU adapters such as
// SwiftShader, where workgroup memory and barriers cost far more than the loads they save); the
// TS side then uses the entry point `mainStorage`, the same loop with its state in plain locals.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read_write> image: array<f32>;       // H×W×3, row-major
@group(0) @binding(6) var<storage, read_write> pixelState: array<vec2u>; // (bits of T_final, last)

override SHARED_BATCH: u32 = 256u;
const PIXELS: u32 = 256u;

var<workgroup> batchXy: array<vec2f, max(SHARED_BATCH, 1u)>;
var<workgroup> batchConic: array<vec4f, max(SHARED_BATCH, 1u)>;
var<workgroup> batchColor: array<vec3f, max(SHARED_BATCH, 1u)>;
var<workgroup> doneCount: atomic<u32>;
var<workgroup> doneSnapshot: u32;

struct PixelForward {
  centre: vec2f,
  T: f32,
  color: vec3f,
  last: u32,       // list entries walked up to and including the last contributor
  done: bool,
}

// Composites list entry `position` into the pixel and returns its weight α·T (0 where it does
// not contribute); the caller adds weight·colour, so colours are read only where needed. Sets
// done when T would fall below T_MIN.
fn composite(px: ptr<function, PixelForward>, xy: vec2f, conic: vec4f, position: u32) -> f32 {
  let power = gaussianPower(conic, (*px).centre - xy);
  if (power > 0.0 || power < POWER_SKIP) { return 0.0; }
  let alpha = min(ALPHA_MAX, conic.w * exp(power));
  if (alpha < ALPHA_MIN) { return 0.0; }
  let nextT = (*px).T * (1.0 - alpha);
  if (nextT < T_MIN) {
    (*px).done = true;
    return 0.0;
  }
  let weight = alpha * (*px).T;
  (*px).T = nextT;
  (*px).last = position + 1u;
  return weight;
}

// composite() from storage: reads Gaussian g's colour only where it contributes.
fn shade(px: ptr<function, PixelForward>, p: Projected, g: u32, position: u32) {
  let weight = composite(px, p.xy, p.conic, position);
  if (weight > 0.0) { (*px).color += weight * vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]); }
}

fn writePixel(state: PixelForward, px: u32, py: u32) {
  if (px < frame.width && py < frame.height) {
    let pix = py * frame.width + px;
    let rgb = state.color + state.T * frame.background.xyz;
    image[3u * pix] = rgb.x;
    image[3u * pix + 1u] = rgb.y;
    image[3u * pix + 2u] = rgb.z;
    pixelState[pix] = vec2u(bitcast<u32>(state.T), state.last);
  }
}

// Entry point for CPU adapters (SHARED_BATCH = 0; the TS side picks it): `main`'s storage path
// with the pixel state in plain locals rather than a struct behind a pointer, the form that
// CPU compilers (SwiftShader) keep in registers. Same per-pixel maths as composite().
@compute @workgroup_size(16, 16)
fn mainStorage(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let centre = vec2f(f32(px) + 0.5, f32(py) + 0.5);
  var T = 1.0;
  var color = vec3f(0.0);
  var last = 0u;
  let end = select(range.x, range.y, inside);
  for (var i = range.x; i < end; i++) {
    let g = gaussianIds[i];
    let p = projected[g];
    let power = gaussianPower(p.conic, centre - p.xy);
    if (power > 0.0 || power < POWER_SKIP) { continue; }
    let alpha = min(ALPHA_MAX, p.conic.w * exp(power));
    if (alpha < ALPHA_MIN) { continue; }
    let nextT = T * (1.0 - alpha);
    if (nextT < T_MIN) { break; }
    color += (alpha * T) * vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]);
    T = nextT;
    last = i - range.x + 1u;
  }
  writePixel(PixelForward(centre, T, color, last, false), px, py);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let total = range.y - range.x;
  var state = PixelForward(vec2f(f32(px) + 0.5, f32(py) + 0.5), 1.0, vec3f(0.0), 0u, !inside);

  if (SHARED_BATCH == 0u) {
    for (var k = 0u; k < total && !state.done; k++) {
      let g = gaussianIds[range.x + k];
      let p = projected[g];
      shade(&state, p, g, k);
    }
  } else {
    if (state.done) { atomicAdd(&doneCount, 1u); }
    let batchSize = max(SHARED_BATCH, 1u);   // (this branch is dead when SHARED_BATCH = 0)
    let batches = (total + batchSize - 1u) / batchSize;
    for (var b = 0u; b < batches; b++) {
      // Stop the whole tile once every pixel is saturated.
      workgroupBarrier();
      if (li == 0u) { doneSnapshot = atomicLoad(&doneCount); }
      if (workgroupUniformLoad(&doneSnapshot) == PIXELS) { break; }

      let start = b * batchSize;
      for (var m = li; m < batchSize; m += PIXELS) {
        if (start + m < total) {
          let g = gaussianIds[range.x + start + m];
          let p = projected[g];
          batchXy[m] = p.xy;
          batchConic[m] = p.conic;
          batchColor[m] = vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]);
        }
      }
      workgroupBarrier();

      if (!state.done) {
        let inBatch = min(batchSize, total - start);
        for (var k = 0u; k < inBatch && !state.done; k++) {
          let weight = composite(&state, batchXy[k], batchConic[k], start + k);
          state.color += weight * batchColor[k];
        }
        if (state.done) { atomicAdd(&doneCount, 1u); }
      }
    }
  }

  writePixel(state, px, py);
}
