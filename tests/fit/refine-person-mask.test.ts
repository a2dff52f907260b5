import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearToSrgb8, SRGB8_TO_LINEAR, srgbToLinear } from '../../src/color/srgb.js';
import { defaultBandRadius, refinePersonMask } from '../../src/fit/refine-person-mask.js';

const W = 96, H = 96;
type Rgb = [number, number, number];
const WALL: Rgb = [236, 234, 228];

/**
 * A synthetic frame: `colourAt(x, y)` (sRGB, or null for the wall) supersampled 4×4 per pixel,
 * blended in linear light. Returns the frame, the true coverage and the true person colour.
 */
function scene(colourAt: (x: number, y: number) => Rgb | null, wall: Rgb = WALL): { image: ImageData; coverage: Float32Array; person: Float32Array } {
  const data = new Uint8ClampedArray(4 * W * H);
  const coverage = new Float32Array(W * H), person = new Float32Array(3 * W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const sum = [0, 0, 0], personSum = [0, 0, 0];
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const c = colourAt(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
          const rgb = c ?? wall;
          for (let k = 0; k < 3; k++) sum[k] += srgbToLinear(rgb[k]! / 255) / 16;
          if (c) {
            hits++;
            for (let k = 0; k < 3; k++) personSum[k] += srgbToLinear(c[k]! / 255);
          }
        }
      }
      coverage[p] = hits / 16;
      for (let k = 0; k < 3; k++) {
        data[4 * p + k] = linearToSrgb8(sum[k]!);
        person[3 * p + k] = hits > 0 ? personSum[k]! / hits : 0;
      }
      data[4 * p + 3] = 255;
    }
  }
  return { image: { width: W, height: H, data, colorSpace: 'srgb' } as ImageData, coverage, person };
}

/** A detector-like mask: the true coverage grown by `grow` pixels and box-blurred (smooth, too wide). */
function sloppyMask(coverage: Float32Array, grow: number): Uint8Array {
  const grown = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let m = 0;
      for (let dy = -grow; dy <= grow; dy++) for (let dx = -grow; dx <= grow; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < W && yy < H) m = Math.max(m, coverage[yy * W + xx]!);
      }
      grown[y * W + x] = m;
    }
  }
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < W && yy < H) { s += grown[yy * W + xx]!; n++; }
      }
      out[y * W + x] = Math.round((255 * s) / n);
    }
  }
  return out;
}

/** A person-like figure: dark legs, a pink top, skin arms. */
function figure(x: number, y: number): Rgb | null {
  if (Math.hypot((x - 48) / 14, (y - 34) / 18) < 1) return [216, 30, 63];
  if (y > 48 && y < 88 && Math.abs(x - 48) < 11 + (y - 48) * 0.12) return [28, 34, 30];
  if (y > 22 && y < 60 && Math.abs(x - 48) > 20 && Math.abs(x - 48) < 28) return [214, 160, 130];
  return null;
}

function meanAbs(a: ArrayLike<number>, b: ArrayLike<number>, scaleA: number, where: (p: number) => boolean): number {
  let s = 0, n = 0;
  for (let p = 0; p < b.length; p++) if (where(p)) { s += Math.abs(a[p]! / scaleA - b[p]!); n++; }
  return s / n;
}

function iou(mask: Uint8Array, coverage: Float32Array): number {
  let inter = 0, union = 0;
  for (let p = 0; p < mask.length; p++) {
    const a = mask[p]! >= 128, b = coverage[p]! >= 0.5;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return inter / union;
}

describe('refinePersonMask', () => {
  it('snaps a too-wide, smooth mask back onto the person and removes the wall from the edge colours', () => {
    const { image, coverage, person } = scene(figure);
    const detector = sloppyMask(coverage, 2);
    const { mask, foreground } = refinePersonMask(image, detector);
    // Where the two differ at all: the edge band.
    const edge = (p: number) => Math.abs(detector[p]! / 255 - coverage[p]!) > 0.02 || (coverage[p]! > 0 && coverage[p]! < 1);
    const before = meanAbs(detector, coverage, 255, edge), after = meanAbs(mask, coverage, 255, edge);
    assert.ok(after < 0.35 * before, `mean |α − coverage| on the edge: ${after.toFixed(3)} refined vs ${before.toFixed(3)} detector`);
    const iouBefore = iou(detector, coverage), iouAfter = iou(mask, coverage);
    assert.ok(iouAfter > 0.97 && iouAfter > iouBefore, `IoU ${iouAfter.toFixed(3)} refined vs ${iouBefore.toFixed(3)} detector`);
    // Edge pixels that are mostly person: their colour is the person's, not the wall's.
    let rawError = 0, refinedError = 0, n = 0;
    for (let p = 0; p < W * H; p++) {
      if (!(coverage[p]! >= 0.5 && coverage[p]! < 1)) continue;
      for (let c = 0; c < 3; c++) {
        const truth = linearToSrgb8(person[3 * p + c]!);
        rawError += Math.abs(image.data[4 * p + c]! - truth);
        refinedError += Math.abs(foreground.data[4 * p + c]! - truth);
      }
      n += 3;
    }
    assert.ok(n > 0);
    assert.ok(refinedError / n < 0.3 * (rawError / n), `edge colour error ${(refinedError / n).toFixed(1)} refined vs ${(rawError / n).toFixed(1)} levels in the frame`);
    // Away from the band nothing changes.
    for (let p = 0; p < W * H; p++) {
      if (coverage[p] === 1 && detector[p] === 255) assert.equal(mask[p], 255);
      if (detector[p] === 0) assert.equal(mask[p], 0);
    }
  });

  it('moves a mask that is two pixels off to one side back onto the person (too much on one side, too little on the other)', () => {
    const { image, coverage } = scene(figure);
    const shifted = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 2; x < W; x++) shifted[y * W + x] = coverage[y * W + x - 2]!;
    const detector = sloppyMask(shifted, 0);
    const { mask } = refinePersonMask(image, detector);
    const iouBefore = iou(detector, coverage), iouAfter = iou(mask, coverage);
    assert.ok(iouAfter > 0.97 && iouAfter > iouBefore + 0.05, `IoU ${iouAfter.toFixed(3)} refined vs ${iouBefore.toFixed(3)} detector`);
  });

  it('keeps the detector where person and wall look alike, and on structures thinner than the band', () => {
    // A white shirt on a white wall, and a one-pixel dark line (a strand of hair).
    const { image, coverage } = scene((x, y) => {
      if (Math.hypot((x - 40) / 16, (y - 48) / 22) < 1) return [237, 235, 229];
      if (x >= 80 && x < 81 && y > 20 && y < 70) return [20, 20, 20];
      return null;
    });
    const detector = sloppyMask(coverage, 1);
    const { mask, foreground } = refinePersonMask(image, detector);
    // (Far from the contour the mask becomes 0 or 255; what is person stays person.)
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < 64; x++) {
        const p = y * W + x;
        assert.equal(mask[p]! >= 128, detector[p]! >= 128, `low contrast at (${x}, ${y})`);
        if (mask[p]! > 0 && mask[p]! < 255) assert.equal(mask[p], detector[p], `low contrast band at (${x}, ${y})`);
      }
    }
    // The strand has no sure-person pixel near it: its mask stays the detector's.
    for (let y = 25; y < 65; y++) assert.equal(mask[y * W + 80], detector[y * W + 80], `strand at y ${y}`);
    for (let p = 0; p < W * H; p++) {
      if (p % W < 64) for (let c = 0; c < 4; c++) assert.equal(foreground.data[4 * p + c], image.data[4 * p + c]);
    }
  });

  it('sizes the band by the image and rejects a mask of the wrong size', () => {
    assert.equal(defaultBandRadius(96, 96), 3);
    assert.equal(defaultBandRadius(226, 256), 4);
    assert.equal(defaultBandRadius(720, 1280), 20);
    const { image } = scene(figure);
    assert.throws(() => refinePersonMask(image, new Uint8Array(10)), RangeError);
    // Linear-light decode table and the scene agree (the test's own sanity).
    assert.ok(Math.abs(SRGB8_TO_LINEAR[255]! - 1) < 1e-6);
  });
});
