// The training target: a ground-truth frame composited on the known background with its person
// mask, target = m·image + (1 − m)·bg, so pixels outside the person match what the rasterizer
// draws behind the splats (C = Σ cᵢαᵢTᵢ + T·bg).
//   image, composited: H × W × 3 f32 linear RGB, row-major, top row first
//   mask: H × W f32 in 0…1 (clamped here: a soft segmenter mask may overshoot slightly)
// One thread per pixel. Needs helpers/dispatch.wgsl.

struct Params {
  pixels: u32,
  bg_r: f32,
  bg_g: f32,
  bg_b: f32,
}

@group(0) @binding(0) var<storage, read> image: array<f32>;
@group(0) @binding(1) var<storage, read> mask: array<f32>;
@group(0) @binding(2) var<storage, read_write> composited: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let p = linear_workgroup_index(workgroup_id, num_workgroups) * 256u + t;
  if (p >= params.pixels) { return; }
  let m = clamp(mask[p], 0.0, 1.0);
  let background = vec3f(params.bg_r, params.bg_g, params.bg_b);
  for (var c = 0u; c < 3u; c++) {
    composited[3u * p + c] = m * image[3u * p + c] + (1.0 - m) * background[c];
  }
}
