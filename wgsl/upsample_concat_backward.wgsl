// Backward of upsample_concat.wgsl (same parameters and layouts):
//   grad_low[c, ly, lx] = Σ of grad_joined[c] over the 2×2 block (2ly…2ly+1, 2lx…2lx+1) inside H × W
//   grad_skip[c, y, x]  = grad_joined[C_low + c, y, x]
// both overwritten (the skip map's other use, the next encoder level, adds its part after:
// conv2d_backward_input.wgsl with accumulate). One thread per element of grad_low, then of grad_skip.
// Needs helpers/dispatch.wgsl.

struct Params {
  low_channels: u32,
  skip_channels: u32,
  width: u32,
  height: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> grad_joined: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad_low: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad_skip: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let plane = params.width * params.height;
  let low_width = (params.width + 1u) / 2u;
  let low_height = (params.height + 1u) / 2u;
  let low_count = params.low_channels * low_width * low_height;
  let e = item_index(thread);
  if (e >= low_count + params.skip_channels * plane) { return; }
  if (e >= low_count) {
    let s = e - low_count;
    grad_skip[s] = grad_joined[params.low_channels * plane + s];
    return;
  }
  let c = e / (low_width * low_height);
  let l = e % (low_width * low_height);
  let x0 = 2u * (l % low_width);
  let y0 = 2u * (l / low_width);
  var sum = 0.0;
  for (var y = y0; y < min(y0 + 2u, params.height); y++) {
    for (var x = x0; x < min(x0 + 2u, params.width); x++) { sum += grad_joined[(c * params.height + y) * params.width + x]; }
  }
  grad_low[e] = sum;
}
