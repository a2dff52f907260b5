// Playback step 2: the sort keys of the visible splats, their view depth quantised to 16 bits over
// the visible range [lo, hi]: key = floor((z − lo) / (hi − lo) · 65535) (0 when hi = lo), and the
// identity permutation as sort values. 16 bits resolve ~1/65535 of the figure's depth (~20 µm for
// a 1.3 m deep scene); splats closer than that keep their (arbitrary) projection order.
// Needs helpers/splat_draw.wgsl.
@group(0) @binding(0) var<storage, read> counters: array<u32, 8>;
@group(0) @binding(1) var<storage, read> depths: array<f32>;
@group(0) @binding(2) var<storage, read_write> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> values: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= counters[COUNTER_INSTANCES]) { return; }
  let lo = bitcast<f32>(counters[COUNTER_DEPTH_MIN]);
  let hi = bitcast<f32>(counters[COUNTER_DEPTH_MAX]);
  let scale = select(0.0, DEPTH_KEY_MAX / (hi - lo), hi > lo);
  keys[i] = u32(clamp((depths[i] - lo) * scale, 0.0, DEPTH_KEY_MAX));
  values[i] = i;
}
