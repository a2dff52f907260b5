// Writes the image-loss summary from the reduced sums of l1_loss.wgsl / ssim_forward.wgsl terms
// (sums = [mean |x − y|, mean (x − y)², mean SSIM]):
//   summary[o + 0] = loss = l1_weight·L1 + ssim_weight·(1 − SSIM)
//   summary[o + 1] = L1, [o + 2] = mean SSIM, [o + 3] = MSE,
//   summary[o + 4] = PSNR = −10·log10(MSE) dB for images in 0…1, MSE floored at 1e-10 (≤ 100 dB)
// One thread.

struct Params {
  l1_weight: f32,
  ssim_weight: f32,
  out_offset: u32,
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> sums: array<f32>;
@group(0) @binding(1) var<storage, read_write> summary: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(1)
fn main() {
  let l1 = sums[0];
  let mse = sums[1];
  let ssim = sums[2];
  let o = params.out_offset;
  summary[o] = params.l1_weight * l1 + params.ssim_weight * (1.0 - ssim);
  summary[o + 1u] = l1;
  summary[o + 2u] = ssim;
  summary[o + 3u] = mse;
  // log10(v) = log2(v)·log10(2)
  summary[o + 4u] = -10.0 * log2(max(mse, 1e-10)) * 0.30102999566398120;
}
