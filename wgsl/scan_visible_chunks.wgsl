// Playback step 2 (after project_splats_for_draw counted the visible splats of each chunk of
// VISIBLE_CHUNK Gaussians): turns the chunk counts into their exclusive prefix sum in place, the
// first compact slot of each chunk, and writes the visible count V and the draw's vertex count
// 3·V into the counters. One workgroup: thread t scans a run of chunks serially, one barrier,
// then adds the runs before it (no per-Gaussian workgroup memory or barriers: see
// chunked-radix-sort.ts for why that matters on SwiftShader).
// Needs helpers/splat_frame.wgsl + helpers/splat_draw.wgsl.
@group(0) @binding(1) var<storage, read_write> counters: array<u32, 12>;
@group(0) @binding(2) var<storage, read_write> chunkOffsets: array<u32>;

const SCAN_THREADS: u32 = 64u;
var<workgroup> runTotals: array<u32, SCAN_THREADS>;

@compute @workgroup_size(SCAN_THREADS)
fn main(@builtin(local_invocation_index) t: u32) {
  let chunks = (frame.count + VISIBLE_CHUNK - 1u) / VISIBLE_CHUNK;
  let run = (chunks + SCAN_THREADS - 1u) / SCAN_THREADS;
  let begin = min(chunks, t * run);
  let end = min(chunks, begin + run);
  var running = 0u;
  for (var j = begin; j < end; j++) {
    let count = chunkOffsets[j];
    chunkOffsets[j] = running;
    running += count;
  }
  runTotals[t] = running;
  workgroupBarrier();
  var base = 0u;
  for (var e = 0u; e < t; e++) { base += runTotals[e]; }
  for (var j = begin; j < end; j++) { chunkOffsets[j] += base; }
  if (t == SCAN_THREADS - 1u) {
    counters[COUNTER_VISIBLE] = base + running;
    counters[COUNTER_VERTICES] = VERTICES_PER_SPLAT * (base + running);
  }
}
