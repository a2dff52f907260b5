// Backward of rasterize_forward for adapters WITH subgroups (the TS side prepends
// `enable subgroups;` and `diagnostic(off, subgroup_uniformity);`, as the reductions sit in
// branches uniform per subgroup). Back to front as rasterize_backward.wgsl, but the per-Gaussian
// sum is a subgroupAdd (skipped where no lane of the subgroup is touched) whose leader adds it
// into grad2d with a compare-exchange float add: no shared memory and no barriers; each
// subgroup walks back from its own furthest last contributor.
@group(0) @binding(1) var<storage, read> ranges: array<vec2u>;
@group(0) @binding(2) var<storage, read> gaussianIds: array<u32>;
@group(0) @binding(3) var<storage, read> projected: array<Projected>;
@group(0) @binding(4) var<storage, read> colors: array<f32>;
@group(0) @binding(5) var<storage, read> pixelState: array<vec2u>;
@group(0) @binding(6) var<storage, read> gradImage: array<f32>;        // H×W×3, row-major
@group(0) @binding(7) var<storage, read_write> grad2d: array<atomic<u32>>; // 9 per Gaussian

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(subgroup_invocation_id) lane: u32) {
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
  // Each subgroup walks only as far back as its own furthest last contributor.
  let walk = subgroupMax(last);

  for (var k = walk; k > 0u; k--) {
    let g = gaussianIds[range.x + k - 1u];
    var grads = array<f32, GRADS>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);   // explicit: reset every step
    var touched = false;
    if (k - 1u < last) { touched = gaussianGradients(&state, projected[g], readColor(g), &grads); }
    // Most subgroups see none of a small splat: skip its nine reductions there.
    if (subgroupAny(touched)) {
      for (var j = 0u; j < GRADS; j++) {
        let s = subgroupAdd(grads[j]);
        if (lane == 0u && s != 0.0) { addGlobalGrad(g * GRADS + j, s); }
      }
    }
  }
}
