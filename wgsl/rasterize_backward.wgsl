// Backward of rasterize_forward for L = Σ gradImage·image. One workgroup per tile, one thread
// per pixel; the tile's list is walked back to front in lockstep from the furthest last
// contributor, recovering Tᵢ = Tᵢ₊₁/(1 − αᵢ) per pixel. Per Gaussian the 256 pixels' gradients
// (9 numbers) are summed in shared memory, then added once per tile into grad2d with a
// compare-exchange float add (works without subgroups or float atomics).
// grad2d, 9 per Gaussian: ∂L/∂(u, v) pixels, ∂L/∂conic (A, B, C), ∂L/∂rgb, ∂L/∂opacity.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read> pixelState: array<vec2u>;
@group(0) @binding(6) var<storage, read> gradImage: array<f32>;        // H×W×3, row-major
@group(0) @binding(7) var<storage, read_write> grad2d: array<atomic<u32>>;

const PIXELS: u32 = 256u;
const GRADS: u32 = 9u;
const CHUNK: u32 = 16u;

var<workgroup> perPixel: array<f32, 2304>;   // GRADS × PIXELS
var<workgroup> perChunk: array<f32, 144>;    // GRADS × CHUNK
var<workgroup> maxLast: atomic<u32>;
var<workgroup> maxLastSnapshot: u32;

fn addGrad(index: u32, value: f32) {
  var old = atomicLoad(&grad2d[index]);
  loop {
    let swapped = atomicCompareExchangeWeak(&grad2d[index], old, bitcast<u32>(bitcast<f32>(old) + value));
    if (swapped.exchanged) { break; }
    old = swapped.old_value;
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let centre = vec2f(f32(px) + 0.5, f32(py) + 0.5);
  let pix = py * frame.width + px;

  var finalT = 0.0;
  var last = 0u;
  var dPixel = vec3f(0.0);
  if (inside) {
    let state = pixelState[pix];
    finalT = bitcast<f32>(state.x);
    last = state.y;
    dPixel = vec3f(gradImage[3u * pix], gradImage[3u * pix + 1u], gradImage[3u * pix + 2u]);
  }
  atomicMax(&maxLast, last);
  workgroupBarrier();
  if (li == 0u) { maxLastSnapshot = atomicLoad(&maxLast); }
  let walk = workgroupUniformLoad(&maxLastSnapshot);

  let bgDot = dot(frame.background.xyz, dPixel);
  var T = finalT;
  var behind = vec3f(0.0);     // colour composited behind the current Gaussian, per unit T
  var nextAlpha = 0.0;
  var nextColor = vec3f(0.0);

  for (var k = walk; k > 0u; k--) {
    let position = k - 1u;
    let g = gaussianIds[range.x + position];
    var grads: array<f32, GRADS>;
    for (var j = 0u; j < GRADS; j++) { grads[j] = 0.0; }

    if (position < last) {
      let p = projected[g];
      let conic = p.conic;
      let d = centre - p.xy;
      let power = gaussianPower(conic, d);
      let G = exp(power);
      let rawAlpha = conic.w * G;
      let alpha = min(ALPHA_MAX, rawAlpha);
      if (power <= 0.0 && alpha >= ALPHA_MIN) {
        let c = vec3f(colors[3u * g], colors[3u * g + 1u], colors[3u * g + 2u]);
        T = T / (1.0 - alpha);
        let dColor = alpha * T * dPixel;
        behind = nextAlpha * nextColor + (1.0 - nextAlpha) * behind;
        nextAlpha = alpha;
        nextColor = c;
        let dAlpha = dot(c - behind, dPixel) * T - finalT / (1.0 - alpha) * bgDot;
        var dOpacity = 0.0;
        var dPower = 0.0;
        if (rawAlpha < ALPHA_MAX) {
          dOpacity = G * dAlpha;
          dPower = G * conic.w * dAlpha;
        }
        grads[0] = (conic.x * d.x + conic.y * d.y) * dPower;
        grads[1] = (conic.z * d.y + conic.y * d.x) * dPower;
        grads[2] = -0.5 * d.x * d.x * dPower;
        grads[3] = -d.x * d.y * dPower;
        grads[4] = -0.5 * d.y * d.y * dPower;
        grads[5] = dColor.x;
        grads[6] = dColor.y;
        grads[7] = dColor.z;
        grads[8] = dOpacity;
      }
    }

    // Sum the tile's 256 pixels: 256 → 16 partial sums per gradient → 1, then one global add.
    for (var j = 0u; j < GRADS; j++) { perPixel[j * PIXELS + li] = grads[j]; }
    workgroupBarrier();
    if (li < GRADS * CHUNK) {
      let j = li / CHUNK;
      let base = j * PIXELS + (li % CHUNK) * CHUNK;
      var s = 0.0;
      for (var m = 0u; m < CHUNK; m++) { s += perPixel[base + m]; }
      perChunk[li] = s;
    }
    workgroupBarrier();
    if (li < GRADS) {
      var s = 0.0;
      for (var m = 0u; m < CHUNK; m++) { s += perChunk[li * CHUNK + m]; }
      if (s != 0.0) { addGrad(g * GRADS + li, s); }
    }
  }
}
