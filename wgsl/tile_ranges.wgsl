// Finds each tile's [start, end) in the intersection list sorted by tileId. Tiles with no
// intersection keep the (0, 0) the ranges buffer was cleared to. Dispatched indirectly.
@group(0) @binding(1) var<storage, read> counts: array<u32>;
@group(0) @binding(2) var<storage, read> tileKeys: array<u32>;
@group(0) @binding(3) var<storage, read_write> ranges: array<vec2u>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * groups.x + wg.x) * 256u + li;
  let n = counts[1];
  if (i >= n) { return; }
  let tile = tileKeys[i];
  if (tile >= frame.tilesX * frame.tilesY) { return; }
  if (i == 0u || tileKeys[i - 1u] != tile) { ranges[tile].x = i; }
  if (i + 1u == n || tileKeys[i + 1u] != tile) { ranges[tile].y = i + 1u; }
}
