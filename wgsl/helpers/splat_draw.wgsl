// Records shared by the playback drawer's kernels (src/render/splat-drawer.ts): the projected
// splats that project_splats_for_draw writes and draw_splats reads, and the counters buffer that
// is at once the indirect draw's arguments (scan_visible_chunks sets the vertex count from the
// visible count), the visible count and the projection's depth range.
// Needs helpers/splat_frame.wgsl (the same projection maths as the training rasterizer).

// One projected splat (48 bytes), at its Gaussian's index (only visible ones are written).
struct DrawSplat {
  xy: vec2f,             // mean in pixels (pixel centres at +0.5)
  radius: f32,           // ceil(3·sqrt(λmax)) in pixels, as the rasterizer culls by (draw_splats fits its triangle to α)
  depth: f32,            // camera-space z
  conic: vec4f,          // inverse 2D covariance (A, B, C) and opacity in w
  color: vec3f,          // linear RGB
  index: u32,            // the Gaussian's input index (for tests)
}

// Byte layout fixed by drawIndirect: (vertexCount = 3·V, instanceCount = 1, firstVertex, firstInstance),
// then the visible count V, then the visible depth range as f32 bits (positive floats order as u32),
const COUNTER_VERTICES: u32 = 0u;
const COUNTER_VISIBLE: u32 = 4u;
const COUNTER_DEPTH_MIN: u32 = 5u;
const COUNTER_DEPTH_MAX: u32 = 6u;
// Then the pixel box [x0, x1) × [y0, y1) that holds every drawn pixel (words 8…11), for
// present_splat_image: outside it the screen is the background, which the pass's clear writes.
const COUNTER_BOX: u32 = 8u;
// One draw of one triangle (3 vertices) per splat, not one instance per splat: SwiftShader runs
// every instance as a draw call of its own (7.6× slower for 64k splats).
const VERTICES_PER_SPLAT: u32 = 3u;
// Gaussians per compaction chunk (scan_visible_chunks, write_depth_keys; VISIBLE_CHUNK in splat-drawer.ts).
const VISIBLE_CHUNK: u32 = 128u;
// Depth keys use 18 bits (DEPTH_KEY_BITS in splat-drawer.ts): 3 radix passes over the visible
// range instead of 8 over f32 bits.
const DEPTH_KEY_MAX: f32 = 262143.0;
