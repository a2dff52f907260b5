// Playback step 2 (after the prefix sum of the visible flags, whose total V is in the counters):
// sets the draw's vertex count to 6·V, and compacts the visible splats into
// sort pairs at slot offsets[i]: key = view depth quantised to 12 bits over the visible range
// [lo, hi], floor((z − lo) / (hi − lo) · 4095) (0 when hi = lo); value = the Gaussian's index.
// 12 bits resolve ~1/4095 of the figure's depth (~0.3 mm for a 1.3 m deep scene); splats closer
// than that keep index order (slots ascend with the index and the radix sort is stable).
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl.
@group(0) @binding(1) var<storage, read_write> counters: array<u32, 8>;
@group(0) @binding(2) var<storage, read> visible: array<u32>;
@group(0) @binding(3) var<storage, read> offsets: array<u32>;
@group(0) @binding(4) var<storage, read> depths: array<f32>;
@group(0) @binding(5) var<storage, read_write> keys: array<u32>;
@group(0) @binding(6) var<storage, read_write> values: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i == 0u) { counters[COUNTER_VERTICES] = VERTICES_PER_SPLAT * counters[COUNTER_VISIBLE]; }
  if (i >= frame.count || visible[i] == 0u) { return; }
  let slot = offsets[i];
  let lo = bitcast<f32>(counters[COUNTER_DEPTH_MIN]);
  let hi = bitcast<f32>(counters[COUNTER_DEPTH_MAX]);
  let scale = select(0.0, DEPTH_KEY_MAX / (hi - lo), hi > lo);
  keys[slot] = u32(clamp((depths[i] - lo) * scale, 0.0, DEPTH_KEY_MAX));
  values[slot] = i;
}
