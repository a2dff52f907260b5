/** Seeded parameter initialisation for the appearance network (reproducible runs). */

/** A deterministic uniform generator in [0, 1) (mulberry32). */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` normal samples N(0, std²) from `uniform` (Box–Muller). */
export function normalSamples(count: number, std: number, uniform: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/**
 * A dense layer in the matmul layout ((inputs + 1) × outputs, W rows then a zero bias row) with
 * Kaiming/He-normal weights: std = gain · sqrt(2 / inputs), right for ReLU/SiLU inputs.
 */
export function heInitLayer(inputs: number, outputs: number, uniform: () => number, gain = 1): Float32Array {
  const layer = new Float32Array((inputs + 1) * outputs);
  layer.set(normalSamples(inputs * outputs, gain * Math.sqrt(2 / inputs), uniform));
  return layer;
}
