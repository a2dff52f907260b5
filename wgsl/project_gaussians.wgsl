// Projects each Gaussian into the image: pixel mean, inverse 2D covariance, radius, depth and
// number of touched tiles; writes the depth sort key (f32 bits of view depth, which sort as u32
// for positive floats) and the identity permutation as sort values. Culled Gaussians (behind
// `near`, degenerate, or whose 3σ square misses the image) get 0 tiles and key 0xffffffff.
@group(0) @binding(1) var<storage, read> means: array<f32>;
@group(0) @binding(2) var<storage, read> scales: array<f32>;
@group(0) @binding(3) var<storage, read> opacities: array<f32>;
@group(0) @binding(4) var<storage, read_write> projected: array<Projected>;
@group(0) @binding(5) var<storage, read_write> tileCounts: array<u32>;
@group(0) @binding(6) var<storage, read_write> depthKeys: array<u32>;
@group(0) @binding(7) var<storage, read_write> depthOrder: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= frame.count) { return; }
  depthOrder[i] = i;
  tileCounts[i] = 0u;
  depthKeys[i] = 0xffffffffu;
  projected[i] = Projected(vec2f(0.0), 0.0, 0.0, vec4f(0.0));

  let mean = vec3f(means[3u * i], means[3u * i + 1u], means[3u * i + 2u]);
  let t = (frame.view * vec4f(mean, 1.0)).xyz;
  if (!(t.z >= frame.near)) { return; }
  let cov = projectedCovariance(projectionRows(t), scales[i]);
  let det = cov.x * cov.z - cov.y * cov.y;
  if (!(det > 0.0)) { return; }
  let xy = pixelPosition(t);
  let radius = splatRadius(cov);
  let n = tileCount(tileRect(xy, radius));
  if (n == 0u) { return; }
  let inv = 1.0 / det;
  projected[i] = Projected(xy, radius, t.z, vec4f(cov.z * inv, -cov.y * inv, cov.x * inv, opacities[i]));
  tileCounts[i] = n;
  depthKeys[i] = bitcast<u32>(t.z);
}
