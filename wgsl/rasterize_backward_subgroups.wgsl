// Backward of rasterize_forward for adapters WITH subgroups (the TS side prepends
// `enable subgroups;` and `diagnostic(off, subgroup_uniformity);`, as the reductions sit in
// branches uniform per subgroup). Same walk as rasterize_backward.wgsl, but the per-Gaussian
// sum is a subgroupAdd (skipped where no lane of the subgroup is touched) whose leader adds into
// a shared-memory accumulator (compare-exchange float add); the accumulators are flushed to
// grad2d once per batch of 256 list entries: two barriers per batch, not two per Gaussian.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read> pixelState: array<vec2u>;
@group(0) @binding(6) var<storage, read> gradImage: array<f32>;        // H×W×3, row-major
@group(0) @binding(7) var<storage, read_write> grad2d: array<atomic<u32>>; // 9 per Gaussian

const BATCH: u32 = 256u;

var<workgroup> batchGrads: array<atomic<u32>, 2304>;   // GRADS × BATCH, f32 bits
var<workgroup> batchIds: array<u32, BATCH>;
var<workgroup> maxLast: atomic<u32>;
var<workgroup> maxLastSnapshot: u32;

fn addSharedGrad(index: u32, value: f32) {
  var old = atomicLoad(&batchGrads[index]);
  loop {
    let swapped = atomicCompareExchangeWeak(&batchGrads[index], old, bitcast<u32>(bitcast<f32>(old) + value));
    if (swapped.exchanged) { break; }
    old = swapped.old_value;
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) lane: u32) {
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

  let batches = (walk + BATCH - 1u) / BATCH;
  for (var b = batches; b > 0u; b--) {
    let start = (b - 1u) * BATCH;
    let end = min(start + BATCH, walk);
    workgroupBarrier();   // the previous batch's flush has read its accumulators
    if (start + li < end) { batchIds[li] = gaussianIds[range.x + start + li]; }
    for (var j = 0u; j < GRADS; j++) { atomicStore(&batchGrads[j * BATCH + li], 0u); }
    workgroupBarrier();

    for (var k = end; k > start; k--) {
      let slot = k - 1u - start;
      let g = batchIds[slot];
      var grads: array<f32, GRADS>;
      var touched = false;
      if (k - 1u < last) {
        grads = gaussianGradients(&state, projected[g], readColor(g));
        for (var j = 0u; j < GRADS; j++) { touched = touched || grads[j] != 0.0; }
      }
      // Most subgroups see none of a small splat: skip its nine reductions there.
      if (subgroupAny(touched)) {
        for (var j = 0u; j < GRADS; j++) {
          let s = subgroupAdd(grads[j]);
          if (lane == 0u && s != 0.0) { addSharedGrad(j * BATCH + slot, s); }
        }
      }
    }

    workgroupBarrier();
    if (start + li < end) {
      let g = batchIds[li];
      for (var j = 0u; j < GRADS; j++) {
        let v = bitcast<f32>(atomicLoad(&batchGrads[j * BATCH + li]));
        if (v != 0.0) { addGlobalGrad(g * GRADS + j, v); }
      }
    }
  }
}
