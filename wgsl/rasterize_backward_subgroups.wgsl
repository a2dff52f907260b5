// Backward of rasterize_forward for adapters WITH subgroups (the TS side prepends
// `enable subgroups;` and `diagnostic(off, subgroup_uniformity);`, as the reductions sit in
// branches uniform per subgroup). Back to front as rasterize_backward.wgsl, but the per-Gaussian
// sum is a subgroupAdd (skipped where no lane of the subgroup is touched); the first lanes add
// the nine sums into grad2d with a compare-exchange float add: no shared memory and no barriers; each
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
        @builtin(subgroup_invocation_id) lane: u32,
        @builtin(subgroup_size) subgroupSize: u32) {
  let px = wg.x * TILE_SIZE + lid.x;
  let py = wg.y * TILE_SIZE + lid.y;
  let inside = px < frame.width && py < frame.height;
  let range = ranges[wg.y * frame.tilesX + wg.x];
  let pix = py * frame.width + px;

  // The pixel's state lives in plain locals (not a struct behind a pointer, as in
  // helpers/splat_backward.wgsl's gaussianGradients, whose maths this repeats line for line):
  // CPU compilers such as SwiftShader keep these in registers.
  var last = 0u;
  let centre = vec2f(f32(px) + 0.5, f32(py) + 0.5);
  var finalT = 0.0;
  var dPixel = vec3f(0.0);
  if (inside) {
    let s = pixelState[pix];
    last = s.y;
    finalT = bitcast<f32>(s.x);
    dPixel = vec3f(gradImage[3u * pix], gradImage[3u * pix + 1u], gradImage[3u * pix + 2u]);
  }
  let bgDot = dot(frame.background.xyz, dPixel);
  var T = finalT;           // transmittance behind the Gaussian being visited
  var behind = vec3f(0.0);  // colour composited behind it per unit of transmittance in front
  var nextAlpha = 0.0;      // α and colour of the Gaussian visited before (the one behind)
  var nextColor = vec3f(0.0);
  // Each subgroup walks only as far back as its own furthest last contributor.
  let walk = subgroupMax(last);

  for (var k = walk; k > 0u; k--) {
    let g = gaussianIds[range.x + k - 1u];
    // Explicit zeros: reset every step (lanes the Gaussian does not touch add nothing).
    var gU = 0.0; var gV = 0.0; var gA = 0.0; var gB = 0.0; var gC = 0.0;
    var gColor = vec3f(0.0);
    var gOpacity = 0.0;
    var touched = false;
    if (k - 1u < last) {
      let p = projected[g];
      let d = centre - p.xy;
      let power = gaussianPower(p.conic, d);
      if (power <= 0.0 && power >= POWER_SKIP) {
        let G = exp(power);
        let rawAlpha = p.conic.w * G;
        let alpha = min(ALPHA_MAX, rawAlpha);
        if (alpha >= ALPHA_MIN) {
          touched = true;
          let c = readColor(g);
          T = T / (1.0 - alpha);
          gColor = alpha * T * dPixel;
          behind = nextAlpha * nextColor + (1.0 - nextAlpha) * behind;
          nextAlpha = alpha;
          nextColor = c;
          let dAlpha = dot(c - behind, dPixel) * T - finalT / (1.0 - alpha) * bgDot;
          // α = min(0.99, o·G): where clamped, α depends on neither o nor G.
          var dPower = 0.0;
          if (rawAlpha < ALPHA_MAX) {
            gOpacity = G * dAlpha;
            dPower = G * p.conic.w * dAlpha;
          }
          gU = (p.conic.x * d.x + p.conic.y * d.y) * dPower;
          gV = (p.conic.z * d.y + p.conic.y * d.x) * dPower;
          gA = -0.5 * d.x * d.x * dPower;
          gB = -d.x * d.y * dPower;
          gC = -0.5 * d.y * d.y * dPower;
        }
      }
    }
    // Most subgroups see none of a small splat: skip its nine reductions there.
    if (subgroupAny(touched)) {
      var sums = array<f32, GRADS>(subgroupAdd(gU), subgroupAdd(gV), subgroupAdd(gA), subgroupAdd(gB), subgroupAdd(gC),
        subgroupAdd(gColor.x), subgroupAdd(gColor.y), subgroupAdd(gColor.z), subgroupAdd(gOpacity));
      // Every lane holds the sums: the first lanes share the nine global adds (in parallel).
      for (var j = lane; j < GRADS; j += subgroupSize) {
        if (sums[j] != 0.0) { addGlobalGrad(g * GRADS + j, sums[j]); }
      }
    }
  }
}
