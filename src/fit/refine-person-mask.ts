/**
 * Snapping the detector's person mask to the frame's edges. MediaPipe's segmentation is smooth and
 * coarser than the frame: its ½ contour strays a pixel or two off the person, onto the wall or into
 * the clothes. Trained as it is, the wall inside the mask becomes pale specks along the avatar's
 * outline, and the avatar's silhouette follows the mask's error.
 *
 * A band of `bandRadius` pixels around the mask's ½ contour is re-estimated from the pixels (a
 * sampling matte, as in "shared sampling" alpha matting): for each band pixel I, among the nearest
 * sure-person pixels F (deeper inside than the band) and sure-background pixels B (further out),
 * the pair that best explains I as a blend αF + (1 − α)B gives its coverage α and its person colour.
 * Where the pair's colours are too alike to tell (a white shirt on a white wall), the detector's
 * own value stays. Everything is done in linear light, where pixels blend.
 *
 * Outputs: the refined mask (bytes, 0 = background … 255 = person) and the frame with each band
 * pixel's colour replaced by its person colour (the wall's share removed), so compositing the
 * frame on another background with the refined mask gives that background at the person's edge.
 */
import { linearToSrgb8, SRGB8_TO_LINEAR } from '../color/srgb.js';
import { distanceTo } from './distance-transform.js';

export interface PersonMatte {
  /** Refined person mask, Uint8Array(width × height), 0 = background … 255 = person. */
  mask: Uint8Array;
  /** The frame (sRGB) with the band's pixels replaced by their estimated person colour. */
  foreground: ImageData;
}

export interface RefineMaskOptions {
  /**
   * Half-width of the band re-estimated around the mask's ½ contour, pixels. Default 1.6 % of the
   * image's longer side, at least 3 (the detector's error scales with the image it saw).
   */
  bandRadius?: number;
}

/** Person and background samples kept per band pixel (the nearest of each). */
const SAMPLES = 12;
/** Below this colour distance (linear RGB) between F and B, α is not trusted at all… */
const MIN_CONTRAST = 0.02;
/** …and above this, fully. */
const FULL_CONTRAST = 0.08;
/** Cost per pixel of sample distance: prefers nearby samples among equally good blends. */
const DISTANCE_COST = 1e-5;

/** The band's default half-width for an image of this size. */
export function defaultBandRadius(width: number, height: number): number {
  return Math.max(3, Math.round(0.016 * Math.max(width, height)));
}

/** The `count` nearest of `candidates` (pixel, squared distance), in place. */
function nearest(candidates: { p: number; d2: number }[], count: number): { p: number; d2: number }[] {
  candidates.sort((a, b) => a.d2 - b.d2);
  if (candidates.length > count) candidates.length = count;
  return candidates;
}

/**
 * The refined mask and decontaminated frame for `image` (sRGB RGBA) and its detector `mask`
 * (bytes, image-sized). Pixels outside the band keep their colour; the mask becomes 255 inside
 * and 0 outside the band.
 */
export function refinePersonMask(image: ImageData, mask: Uint8Array, options: RefineMaskOptions = {}): PersonMatte {
  const { width, height, data } = image;
  const pixels = width * height;
  if (mask.length !== pixels) throw new RangeError(`refinePersonMask: mask of ${pixels} pixels expected, got ${mask.length}`);
  const band = options.bandRadius ?? defaultBandRadius(width, height);
  const inside = new Uint8Array(pixels), outside = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) (mask[p]! >= 128 ? inside : outside)[p] = 1;
  const toOutside = distanceTo(outside, width, height), toInside = distanceTo(inside, width, height);
  // Sure person: deeper than the band; sure background: further out than it.
  const surePerson = (p: number) => inside[p] === 1 && toOutside[p]! > band;
  const sureBackground = (p: number) => outside[p] === 1 && toInside[p]! > band;

  const linear = new Float32Array(3 * pixels);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) linear[3 * p + c] = SRGB8_TO_LINEAR[data[4 * p + c]!]!;

  const refined = new Uint8Array(pixels);
  const foreground = imageDataOf(Uint8ClampedArray.from(data), width, height);
  const window = band + 3;
  /** The SAMPLES nearest pixels within `radius` (a square) of (x, y) for which `take` holds. */
  const samplesNear = (x: number, y: number, radius: number, take: (q: number) => boolean) => {
    const found: { p: number; d2: number }[] = [];
    for (let dy = -radius; dy <= radius; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -radius; dx <= radius; dx++) {
        const xx = x + dx, q = yy * width + xx;
        if (xx >= 0 && xx < width && take(q)) found.push({ p: q, d2: dx * dx + dy * dy });
      }
    }
    return nearest(found, SAMPLES);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (surePerson(p)) { refined[p] = 255; continue; }
      if (sureBackground(p)) { refined[p] = 0; continue; }
      let person = samplesNear(x, y, window, surePerson), background = samplesNear(x, y, window, sureBackground);
      // A gap the detector filled (an arm close to the torso) has its wall further away.
      if (person.length === 0) person = samplesNear(x, y, 3 * window, surePerson);
      if (background.length === 0) background = samplesNear(x, y, 3 * window, sureBackground);
      const detector = mask[p]! / 255;
      // A structure thinner than the band (fingers, a ponytail) or a gap narrower than it: no
      // samples on one side, so the detector's value stands.
      if (person.length === 0 || background.length === 0) {
        refined[p] = mask[p]!;
        continue;
      }
      const best = bestBlend(linear, p, person, background);
      const trust = Math.min(1, Math.max(0, (best.contrast - MIN_CONTRAST) / (FULL_CONTRAST - MIN_CONTRAST)));
      const alpha = trust * best.alpha + (1 - trust) * detector;
      refined[p] = Math.round(255 * alpha);
      if (trust > 0 && alpha > 0) writePersonColour(foreground.data, linear, p, alpha, best, trust);
    }
  }
  return { mask: refined, foreground };
}

/** ImageData where the platform has it (browsers, workers); the same shape in Node (tests). */
function imageDataOf(data: Uint8ClampedArray<ArrayBuffer>, width: number, height: number): ImageData {
  if (typeof ImageData !== 'undefined') return new ImageData(data, width, height);
  return { width, height, data, colorSpace: 'srgb' } as ImageData;
}

interface Blend {
  alpha: number;
  /** Linear RGB of the chosen person and background samples. */
  person: [number, number, number];
  background: [number, number, number];
  /** ‖F − B‖ of the chosen pair. */
  contrast: number;
}

/** The (F, B) pair that explains pixel p best as αF + (1 − α)B (least residual, then nearest). */
function bestBlend(linear: Float32Array, p: number, person: { p: number; d2: number }[], background: { p: number; d2: number }[]): Blend {
  const I0 = linear[3 * p]!, I1 = linear[3 * p + 1]!, I2 = linear[3 * p + 2]!;
  let bestCost = Infinity, bestAlpha = 0, bestF = 0, bestB = 0, bestContrast = 0;
  for (const f of person) {
    const F0 = linear[3 * f.p]!, F1 = linear[3 * f.p + 1]!, F2 = linear[3 * f.p + 2]!;
    for (const b of background) {
      const B0 = linear[3 * b.p]!, B1 = linear[3 * b.p + 1]!, B2 = linear[3 * b.p + 2]!;
      const d0 = F0 - B0, d1 = F1 - B1, d2 = F2 - B2;
      const contrast2 = d0 * d0 + d1 * d1 + d2 * d2;
      if (contrast2 < 1e-8) continue;
      const alpha = Math.min(1, Math.max(0, ((I0 - B0) * d0 + (I1 - B1) * d1 + (I2 - B2) * d2) / contrast2));
      const r0 = I0 - B0 - alpha * d0, r1 = I1 - B1 - alpha * d1, r2 = I2 - B2 - alpha * d2;
      const cost = r0 * r0 + r1 * r1 + r2 * r2 + DISTANCE_COST * (f.d2 + b.d2);
      if (cost < bestCost) {
        bestCost = cost; bestAlpha = alpha; bestF = f.p; bestB = b.p; bestContrast = Math.sqrt(contrast2);
      }
    }
  }
  return {
    alpha: bestAlpha,
    person: [linear[3 * bestF]!, linear[3 * bestF + 1]!, linear[3 * bestF + 2]!],
    background: [linear[3 * bestB]!, linear[3 * bestB + 1]!, linear[3 * bestB + 2]!],
    contrast: bestContrast,
  };
}

/**
 * The person's colour at a band pixel: I with the background's share removed, (I − (1 − α)B)/α,
 * where α is large enough for that to be stable; the person sample's colour where it is not.
 */
function writePersonColour(out: Uint8ClampedArray, linear: Float32Array, p: number, alpha: number, blend: Blend, trust: number): void {
  for (let c = 0; c < 3; c++) {
    const I = linear[3 * p + c]!;
    const unmixed = alpha >= 0.5 ? (I - (1 - alpha) * blend.background[c]!) / alpha : blend.person[c]!;
    const person = Math.min(1, Math.max(0, unmixed));
    out[4 * p + c] = linearToSrgb8(trust * person + (1 - trust) * I);
  }
}
