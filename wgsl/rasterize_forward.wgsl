// Alpha-composites each 16×16 tile's Gaussians front to back, one workgroup per tile, one
// thread per pixel, loading the list in shared-memory batches of 256. Per pixel (centre
// (px + 0.5, py + 0.5)): α = min(0.99, o·exp(power)), skipped when α < 1/255; compositing
// stops before the Gaussian that would take T below 1e-4. C = Σ cᵢαᵢTᵢ + T_final·bg.
// Also writes, per pixel, T_final and how many list entries were walked up to and including
// the last contributor: what rasterize_backward needs.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read_write> image: array<f32>;       // H×W×3, row-major
@group(0) @binding(6) var<storage, read_write> pixelState: array<vec2u>; // (bits of T_final, last)

const BATCH: u32 = 256u;

var<workgroup> batchXy: array<vec2f, BATCH>;
var<workgroup> batchConic: array<vec4f, BATCH>;
var<workgroup> batchColor: array<vec3f, BATCH>;
var<workgroup> doneCount: atomic<u32>;
var<workgroup> doneSnapshot: u32;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let centre = vec2f(f32(px) + 0.5, f32(py) + 0.5);

  var T = 1.0;
  var color = vec3f(0.0);
  var last = 0u;
  var done = !inside;
  if (done) { atomicAdd(&doneCount, 1u); }

  let total = range.y - range.x;
  let batches = (total + BATCH - 1u) / BATCH;
  for (var b = 0u; b < batches; b++) {
    // Stop the whole tile once every pixel is saturated.
    workgroupBarrier();
    if (li == 0u) { doneSnapshot = atomicLoad(&doneCount); }
    if (workgroupUniformLoad(&doneSnapshot) == BATCH) { break; }

    let slot = range.x + b * BATCH + li;
    if (slot < range.y) {
      let g = gaussianIds[slot];
      let p = projected[g];
      batchXy[li] = p.xy;
      batchConic[li] = p.conic;
      batchColor[li] = vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]);
    }
    workgroupBarrier();

    if (!done) {
      let inBatch = min(BATCH, total - b * BATCH);
      for (var k = 0u; k < inBatch; k++) {
        let conic = batchConic[k];
        let power = gaussianPower(conic, centre - batchXy[k]);
        if (power > 0.0 || power < POWER_SKIP) { continue; }
        let alpha = min(ALPHA_MAX, conic.w * exp(power));
        if (alpha < ALPHA_MIN) { continue; }
        let nextT = T * (1.0 - alpha);
        if (nextT < T_MIN) {
          done = true;
          break;
        }
        color += batchColor[k] * (alpha * T);
        T = nextT;
        last = b * BATCH + k + 1u;
      }
      if (done) { atomicAdd(&doneCount, 1u); }
    }
  }

  if (inside) {
    let pix = py * frame.width + px;
    let rgb = color + T * frame.background.xyz;
    image[3u * pix] = rgb.x;
    image[3u * pix + 1u] = rgb.y;
    image[3u * pix + 2u] = rgb.z;
    pixelState[pix] = vec2u(bitcast<u32>(T), last);
  }
}
