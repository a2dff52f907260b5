// Playback step 3 (after scan_visible_chunks): compacts the visible splats into sort pairs, one
// invocation per chunk of VISIBLE_CHUNK Gaussians walking it in index order from the chunk's first
// slot: key = view depth quantised to 18 bits over the visible range [lo, hi],
// floor((z − lo) / (hi − lo) · 262143) (0 when hi = lo); value = the Gaussian's index.
// 18 bits resolve ~1/262143 of the figure's depth (~5 µm for a 1.3 m deep scene); splats closer
// than that keep index order (slots ascend with the index and the radix sort is stable).
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl.
@group(0) @binding(1) var<storage, read> counters: array<u32, 12>;
@group(0) @binding(2) var<storage, read> visible: array<u32>;
@group(0) @binding(3) var<storage, read> chunkOffsets: array<u32>;
@group(0) @binding(4) var<storage, read> splats: array<DrawSplat>;
@group(0) @binding(5) var<storage, read_write> keys: array<u32>;
@group(0) @binding(6) var<storage, read_write> values: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let begin = gid.x * VISIBLE_CHUNK;
  if (begin >= frame.count) { return; }
  let lo = bitcast<f32>(counters[COUNTER_DEPTH_MIN]);
  let hi = bitcast<f32>(counters[COUNTER_DEPTH_MAX]);
  let scale = select(0.0, DEPTH_KEY_MAX / (hi - lo), hi > lo);
  var slot = chunkOffsets[gid.x];
  for (var i = begin; i < min(frame.count, begin + VISIBLE_CHUNK); i++) {
    if (visible[i] == 0u) { continue; }
    keys[slot] = u32(clamp((splats[i].depth - lo) * scale, 0.0, DEPTH_KEY_MAX));
    values[slot] = i;
    slot += 1u;
  }
}
