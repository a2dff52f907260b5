// For each Gaussian in depth order, writes one (tileId, gaussianIndex) pair per touched tile at
// its prefix-sum offset. A stable sort by tileId then leaves each tile's list front to back.
// Pairs past the list's capacity are dropped.
@group(0) @binding(1) var<storage, read> projected: array<Projected>;
@group(0) @binding(2) var<storage, read> depthOrder: array<u32>;
@group(0) @binding(3) var<storage, read> countsInDepthOrder: array<u32>;
@group(0) @binding(4) var<storage, read> offsets: array<u32>;
@group(0) @binding(5) var<storage, read_write> tileKeys: array<u32>;
@group(0) @binding(6) var<storage, read_write> gaussianIds: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= frame.count || countsInDepthOrder[i] == 0u) { return; }
  let g = depthOrder[i];
  let p = projected[g];
  let rect = tileRect(p.xy, p.radius);
  var slot = offsets[i];
  for (var y = rect.y; y < rect.w; y++) {
    for (var x = rect.x; x < rect.z; x++) {
      if (slot < frame.capacity) {
        tileKeys[slot] = y * frame.tilesX + x;
        gaussianIds[slot] = g;
      }
      slot++;
    }
  }
}
