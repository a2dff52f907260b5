/**
 * Plain TypeScript (f64) twins of the image-loss and regulariser kernels (wgsl/composite_target,
 * l1_loss, ssim_forward, ssim_backward, reduce_sum, write_image_loss, tv_loss, l2_regulariser),
 * written the obvious way: SSIM with a direct 11 × 11 window sum (not separable), gradients by
 * the chain rule written out per pixel. Layouts as in src/train/losses/*.ts: images H × W × 3
 * row-major (top row first), masks H × W, feature tensors C × H × W channel-major.
 */

import { linearToSrgb } from '../../src/color/srgb.js';

export const SSIM_C1 = 0.01 ** 2;
export const SSIM_C2 = 0.03 ** 2;
const RADIUS = 5;
const SIGMA = 1.5;

/** The normalised 1D Gaussian window of pytorch-ssim / 3DGS: 11 taps, σ = 1.5. */
export function ssimWindow1d(): Float64Array {
  const w = Float64Array.from({ length: 2 * RADIUS + 1 }, (_, k) => Math.exp(-((k - RADIUS) ** 2) / (2 * SIGMA * SIGMA)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

/** target = m·image + (1 − m)·background, per pixel and channel, m = mask clamped to 0…1. */
export function compositeTwin(image: ArrayLike<number>, mask: ArrayLike<number>, background: ArrayLike<number>, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const m = Math.min(1, Math.max(0, mask[p]));
    for (let c = 0; c < 3; c++) out[3 * p + c] = m * image[3 * p + c] + (1 - m) * background[c];
  }
  return out;
}

/** Mean |x − y| and mean (x − y)² over all elements, and ∂(mean |x − y|)/∂x = sign(x − y)/N (0 where x = y). */
export function l1Twin(x: ArrayLike<number>, y: ArrayLike<number>): { l1: number; mse: number; grad: Float64Array } {
  const n = x.length;
  let l1 = 0, mse = 0;
  const grad = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const d = x[e] - y[e];
    l1 += Math.abs(d);
    mse += d * d;
    grad[e] = Math.sign(d) / n;
  }
  return { l1: l1 / n, mse: mse / n, grad };
}

/** The five windowed statistics of one channel at pixel (px, py), zero padding outside the image. */
function windowStats(x: ArrayLike<number>, y: ArrayLike<number>, width: number, height: number, channel: number, px: number, py: number, g: Float64Array) {
  let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
  for (let dy = -RADIUS; dy <= RADIUS; dy++) {
    const qy = py + dy;
    if (qy < 0 || qy >= height) continue;
    for (let dx = -RADIUS; dx <= RADIUS; dx++) {
      const qx = px + dx;
      if (qx < 0 || qx >= width) continue;
      const w = g[dy + RADIUS] * g[dx + RADIUS];
      const e = 3 * (qy * width + qx) + channel;
      mx += w * x[e];
      my += w * y[e];
      mxx += w * x[e] * x[e];
      myy += w * y[e] * y[e];
      mxy += w * x[e] * y[e];
    }
  }
  return { mx, my, mxx, myy, mxy };
}

/**
 * SSIM at every element and its partial derivatives with respect to the windowed means
 * m1 = G∗x, m11 = G∗x², m12 = G∗xy (the only windowed maps that depend on x).
 */
function ssimPointwise(s: ReturnType<typeof windowStats>) {
  const varX = s.mxx - s.mx * s.mx, varY = s.myy - s.my * s.my, cov = s.mxy - s.mx * s.my;
  const a1 = 2 * s.mx * s.my + SSIM_C1, a2 = 2 * cov + SSIM_C2;
  const b1 = s.mx * s.mx + s.my * s.my + SSIM_C1, b2 = varX + varY + SSIM_C2;
  const ssim = (a1 * a2) / (b1 * b2);
  const dMu = (2 * s.my * a2) / (b1 * b2) - (ssim * 2 * s.mx) / b1; // ∂S/∂μx at fixed σ², σxy
  const dVar = -ssim / b2; // ∂S/∂σx²
  const dCov = (2 * a1) / (b1 * b2); // ∂S/∂σxy
  // σx² = m11 − m1², σxy = m12 − m1·my.
  return { ssim, dM1: dMu - 2 * s.mx * dVar - s.my * dCov, dM11: dVar, dM12: dCov };
}

/** Mean SSIM over pixels and channels (11 × 11 Gaussian window σ 1.5, zero padding 'same') and the per-element map. */
export function ssimTwin(x: ArrayLike<number>, y: ArrayLike<number>, width: number, height: number): { ssim: number; map: Float64Array } {
  const g = ssimWindow1d();
  const map = new Float64Array(width * height * 3);
  let sum = 0;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      for (let c = 0; c < 3; c++) {
        const s = ssimPointwise(windowStats(x, y, width, height, c, px, py, g)).ssim;
        map[3 * (py * width + px) + c] = s;
        sum += s;
      }
    }
  }
  return { ssim: sum / map.length, map };
}

/**
 * ∂(mean SSIM)/∂x: each output element p contributes ∂S_p/∂m1·G(p − q) + ∂S_p/∂m11·G(p − q)·2x_q
 * + ∂S_p/∂m12·G(p − q)·y_q to input element q, summed over the window around q (inside the image).
 */
export function ssimGradTwin(x: ArrayLike<number>, y: ArrayLike<number>, width: number, height: number): Float64Array {
  const g = ssimWindow1d();
  const n = width * height * 3;
  const grad = new Float64Array(n);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      for (let c = 0; c < 3; c++) {
        const d = ssimPointwise(windowStats(x, y, width, height, c, px, py, g));
        for (let dy = -RADIUS; dy <= RADIUS; dy++) {
          const qy = py + dy;
          if (qy < 0 || qy >= height) continue;
          for (let dx = -RADIUS; dx <= RADIUS; dx++) {
            const qx = px + dx;
            if (qx < 0 || qx >= width) continue;
            const w = g[dy + RADIUS] * g[dx + RADIUS];
            const e = 3 * (qy * width + qx) + c;
            grad[e] += (w * (d.dM1 + 2 * x[e] * d.dM11 + y[e] * d.dM12)) / n;
          }
        }
      }
    }
  }
  return grad;
}

/** PSNR in dB for images in 0…1 (peak 1), capped at 100 dB like the GPU summary (MSE floored at 1e-10). */
export function psnrTwin(mse: number): number {
  return -10 * Math.log10(Math.max(mse, 1e-10));
}

export interface ImageLossTwin {
  loss: number;
  l1: number;
  ssim: number;
  mse: number;
  psnr: number;
  /** ∂loss/∂rendered, H × W × 3. */
  grad: Float64Array;
}

/** loss = l1Weight·mean|x − y| + ssimWeight·(1 − mean SSIM(x, y)), with its gradient w.r.t. x. */
export function imageLossTwin(x: ArrayLike<number>, y: ArrayLike<number>, width: number, height: number, l1Weight: number, ssimWeight: number): ImageLossTwin {
  const { l1, mse, grad: l1Grad } = l1Twin(x, y);
  const { ssim } = ssimTwin(x, y, width, height);
  const ssimGrad = ssimGradTwin(x, y, width, height);
  const grad = l1Grad.map((v, e) => l1Weight * v - ssimWeight * ssimGrad[e]);
  return { loss: l1Weight * l1 + ssimWeight * (1 - ssim), l1, ssim, mse, psnr: psnrTwin(mse), grad };
}

/** Slope of the sRGB curve at a linear value (0 where clamped): the twin of linear_to_srgb_slope. */
export function srgbSlopeTwin(x: number): number {
  if (x < 0 || x > 1) return 0;
  return x <= 0.0031308 ? 12.92 : (1.055 / 2.4) * x ** (1 / 2.4 - 1);
}

/** The image loss in display space: imageLossTwin of linearToSrgb(x) and linearToSrgb(y), gradient w.r.t. the linear x. */
export function imageLossSrgbTwin(x: ArrayLike<number>, y: ArrayLike<number>, width: number, height: number, l1Weight: number, ssimWeight: number): ImageLossTwin {
  const xs = Float64Array.from(x, linearToSrgb), ys = Float64Array.from(y, linearToSrgb);
  const r = imageLossTwin(xs, ys, width, height, l1Weight, ssimWeight);
  return { ...r, grad: r.grad.map((g, e) => g * srgbSlopeTwin(x[e]!)) };
}

/**
 * Total variation (squared differences) of a C × H × W tensor, each direction averaged over its
 * pairs: weight·(Σ(f[c,i+1,j] − f[c,i,j])² / (C(H−1)W) + Σ(f[c,i,j+1] − f[c,i,j])² / (CH(W−1))).
 * A direction with no pairs (H = 1 or W = 1) contributes 0.
 */
export function tvTwin(f: ArrayLike<number>, channels: number, height: number, width: number, weight: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(channels * height * width);
  const vPairs = channels * (height - 1) * width, hPairs = channels * height * (width - 1);
  let loss = 0;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const e = (c * height + i) * width + j;
        if (i + 1 < height) {
          const d = f[e + width] - f[e];
          loss += (weight * d * d) / vPairs;
          grad[e + width] += (2 * weight * d) / vPairs;
          grad[e] -= (2 * weight * d) / vPairs;
        }
        if (j + 1 < width) {
          const d = f[e + 1] - f[e];
          loss += (weight * d * d) / hPairs;
          grad[e + 1] += (2 * weight * d) / hPairs;
          grad[e] -= (2 * weight * d) / hPairs;
        }
      }
    }
  }
  return { loss, grad };
}

/**
 * weight · (1/items) · Σ max(|v| − bound, 0)² over items × components values: with bound 0 the mean
 * squared norm (mean ‖δ‖² for offsets, mean σ² for scales), with bound > 0 a hinge above it.
 */
export function l2RegulariserTwin(values: ArrayLike<number>, items: number, components: number, bound: number, weight: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(items * components);
  let loss = 0;
  for (let e = 0; e < items * components; e++) {
    const excess = Math.max(Math.abs(values[e]) - bound, 0);
    loss += (weight * excess * excess) / items;
    grad[e] = (2 * weight * excess * Math.sign(values[e])) / items;
  }
  return { loss, grad };
}

/**
 * Mirror-twin regulariser (wgsl/mirror_regulariser.wgsl): weight/items · Σ_{i: twin t ≥ 0} Σ_c
 * (v[i,c] − signs[c]·target[t,c])², with the twins' values read from `target` (default: `values`
 * themselves) and held fixed; the gradient is with respect to `values`.
 */
export function mirrorRegulariserTwin(
  values: ArrayLike<number>, twins: ArrayLike<number>, items: number, components: number, signs: readonly number[], weight: number,
  target: ArrayLike<number> = values,
): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(items * components);
  let loss = 0;
  for (let i = 0; i < items; i++) {
    const t = twins[i]!;
    if (t < 0) continue;
    for (let c = 0; c < components; c++) {
      const d = values[i * components + c]! - signs[c]! * target[t * components + c]!;
      loss += (weight * d * d) / items;
      grad[i * components + c] = (2 * weight * d) / items;
    }
  }
  return { loss, grad };
}

/** Deterministic seeded uniform numbers in [0, 1). */
export function lossRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A smooth-ish random test image in 0…1 (H × W × 3): a blurred pattern plus noise, so SSIM is neither ~0 nor ~1. */
export function randomImage(width: number, height: number, rand: () => number, noise = 0.3): Float32Array {
  const out = new Float32Array(width * height * 3);
  const phase = [rand() * 6, rand() * 6, rand() * 6];
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      for (let c = 0; c < 3; c++) {
        const base = 0.5 + 0.3 * Math.sin(px * 0.3 + phase[c]) * Math.cos(py * 0.25 + phase[c]);
        out[3 * (py * width + px) + c] = Math.min(1, Math.max(0, base + noise * (rand() - 0.5)));
      }
    }
  }
  return out;
}
