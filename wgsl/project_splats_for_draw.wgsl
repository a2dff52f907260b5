// Playback step 1: projects each Gaussian as the training rasterizer does (project_gaussians.wgsl:
// same EWA covariance, 3σ radius, same culling: behind `near`, degenerate, or a 3σ square that
// misses the image's tiles), writes its record (with its depth) at its own index and a visible
// flag (0/1), and counts the visible ones of its chunk of VISIBLE_CHUNK Gaussians; the chunks'
// prefix sum gives the visible ones compact slots in index order (deterministic, unlike an atomic
// slot counter: equal depth keys then draw in index order, as the rasterizer's ties, and the same
// frame draws the same pixels; atomic sums do not depend on the order). Also widens the visible
// depth range (atomic min/max of the f32 bits: the same result whatever the order) that
// write_depth_keys quantises over, and the pixel box of what draw_splats will shade.
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl.
@group(0) @binding(1) var<storage, read> means: array<f32>;
@group(0) @binding(2) var<storage, read> scales: array<f32>;
@group(0) @binding(3) var<storage, read> colors: array<f32>;
@group(0) @binding(4) var<storage, read> opacities: array<f32>;
@group(0) @binding(5) var<storage, read_write> splats: array<DrawSplat>;
@group(0) @binding(6) var<storage, read_write> counters: array<atomic<u32>, 12>;
@group(0) @binding(7) var<storage, read_write> visible: array<u32>;
@group(0) @binding(8) var<storage, read_write> chunkCounts: array<atomic<u32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= frame.count) { return; }
  visible[i] = 0u;
  let mean = vec3f(means[3u * i], means[3u * i + 1u], means[3u * i + 2u]);
  let t = (frame.view * vec4f(mean, 1.0)).xyz;
  if (!(t.z >= frame.near)) { return; }
  let cov = projectedCovariance(projectionRows(t), scales[i]);
  let det = cov.x * cov.z - cov.y * cov.y;
  if (!(det > 0.0)) { return; }
  let xy = pixelPosition(t);
  let radius = splatRadius(cov);
  if (tileCount(tileRect(xy, radius)) == 0u) { return; }
  let inv = 1.0 / det;
  let color = vec3f(colors[3u * i], colors[3u * i + 1u], colors[3u * i + 2u]);
  splats[i] = DrawSplat(xy, radius, t.z, vec4f(cov.z * inv, -cov.y * inv, cov.x * inv, opacities[i]), color, i);
  visible[i] = 1u;
  atomicAdd(&chunkCounts[i / VISIBLE_CHUNK], 1u);
  atomicMin(&counters[COUNTER_DEPTH_MIN], bitcast<u32>(t.z));
  atomicMax(&counters[COUNTER_DEPTH_MAX], bitcast<u32>(t.z));
  // draw_splats shades where α ≥ 1/255, within 3.33·sqrt(λmax) ≤ (10/9)·radius of the mean.
  let reach = radius * 10.0 / 9.0 + 1.0;
  let size = vec2f(f32(frame.width), f32(frame.height));
  let lo = vec2u(clamp(floor(xy - reach), vec2f(0.0), size));
  let hi = vec2u(clamp(ceil(xy + reach), vec2f(0.0), size));
  atomicMin(&counters[COUNTER_BOX], lo.x);
  atomicMin(&counters[COUNTER_BOX + 1u], lo.y);
  atomicMax(&counters[COUNTER_BOX + 2u], hi.x);
  atomicMax(&counters[COUNTER_BOX + 3u], hi.y);
}
