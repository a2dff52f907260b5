// Backward of rasterize_forward for L = Σ gradImage·image, for adapters WITHOUT subgroups
// (rasterize_backward_subgroups.wgsl is used where they exist). One workgroup per tile, one
// thread per pixel; the tile's list is walked back to front in lockstep from the furthest last
// contributor. Per Gaussian the 256 pixels' 9 gradients are summed in shared memory
// (256 → 16 → 1, no atomics, no contention), then added once per tile into grad2d.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read> pixelState: array<vec2u>;
@group(0) @binding(6) var<storage, read> gradImage: array<f32>;        // H×W×3, row-major
@group(0) @binding(7) var<storage, read_write> grad2d: array<atomic<u32>>; // 9 per Gaussian

const PIXELS: u32 = 256u;
const CHUNK: u32 = 16u;

var<workgroup> perPixel: array<f32, 2304>;   // GRADS × PIXELS
var<workgroup> perChunk: array<f32, 144>;    // GRADS × CHUNK
var<workgroup> maxLast: atomic<u32>;
var<workgroup> maxLastSnapshot: u32;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let pix = py * frame.width + px;

  var last = 0u;
  var state = startPixelBackward(vec2f(0.0), 0.0, vec3f(0.0));
  if (inside) {
    let s = pixelState[pix];
    last = s.y;
    let dPixel = vec3f(gradImage[3u * pix], gradImage[3u * pix + 1u], gradImage[3u * pix + 2u]);
    state = startPixelBackward(vec2f(f32(px) + 0.5, f32(py) + 0.5), bitcast<f32>(s.x), dPixel);
  }
  atomicMax(&maxLast, last);
  workgroupBarrier();
  if (li == 0u) { maxLastSnapshot = atomicLoad(&maxLast); }
  let walk = workgroupUniformLoad(&maxLastSnapshot);

  for (var k = walk; k > 0u; k--) {
    let g = gaussianIds[range.x + k - 1u];
    var grads = array<f32, GRADS>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);   // explicit: reset every step
    if (k - 1u < last) { gaussianGradients(&state, projected[g], g, &grads); }

    for (var j = 0u; j < GRADS; j++) { perPixel[j * PIXELS + li] = grads[j]; }
    workgroupBarrier();
    if (li < GRADS * CHUNK) {
      let base = (li / CHUNK) * PIXELS + (li % CHUNK) * CHUNK;
      var s = 0.0;
      for (var m = 0u; m < CHUNK; m++) { s += perPixel[base + m]; }
      perChunk[li] = s;
    }
    workgroupBarrier();
    if (li < GRADS) {
      var s = 0.0;
      for (var m = 0u; m < CHUNK; m++) { s += perChunk[li * CHUNK + m]; }
      if (s != 0.0) { addGlobalGrad(g * GRADS + li, s); }
    }
  }
}
