/**
 * Training backgrounds drawn at random per iteration, from a fixed palette: the 8 corners of the
 * RGB cube (black, white and the saturated colours, which expose see-through regions of any
 * clothing colour) and 24 uniform random colours. A palette rather than a fresh colour every
 * iteration so the GPU's per-colour uniform buffers stay cached. Colours are linear RGB.
 */
import { seededUniform } from './nn/init.js';
import type { Rgb } from './upload-targets.js';

const RANDOM_COLOURS = 24;

/** A function returning the next iteration's background (deterministic for a seed). */
export function randomBackgrounds(seed: number): () => Rgb {
  const random = seededUniform(seed);
  const palette: Rgb[] = [];
  for (let k = 0; k < 8; k++) palette.push([k & 1, (k >> 1) & 1, (k >> 2) & 1]);
  for (let k = 0; k < RANDOM_COLOURS; k++) palette.push([random(), random(), random()]);
  return () => palette[Math.min(palette.length - 1, Math.floor(random() * palette.length))]!;
}
