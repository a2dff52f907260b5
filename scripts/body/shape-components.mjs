// Linear shape components by PCA over sampled adult slider settings. Every sample is the default
// human plus a combination of the (reposed) macro targets, so the PCA runs in target space:
// D (3V×K target displacements), c = w(sliders) − w(default), covariance D S Dᵀ with S = E[c cᵀ].
import { symmetricEigen } from './linalg.mjs';
import { DEFAULT_SLIDERS, ageSliderFromYears, macroTargetWeights } from './macro-weights.mjs';

/** Deterministic PRNG (mulberry32) so the asset is reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A plausible adult population (not the sliders' full range: MakeHuman's height slider alone spans
 * 1.30…2.39 m): gender half women ~N(0.15, 0.1²), half men ~N(0.85, 0.1²); height ~N(0.5, 0.07²)
 * (≈ ±7 cm per σ on top of gender); muscle, weight, proportions ~N(0.5, (1/6)²) (extremes = 3σ);
 * age uniform 25…60 years; ethnicity weights softmax of N(0, 0.7²) each. Sliders clipped to [0,1].
 */
export function sampleSliders(count, seed = 1) {
  const random = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const clip = (x) => Math.min(1, Math.max(0, x));
  const out = [];
  for (let i = 0; i < count; i++) {
    const eth = [0, 1, 2].map(() => Math.exp(0.7 * gauss()));
    const sum = eth[0] + eth[1] + eth[2];
    out.push({
      gender: clip((random() < 0.5 ? 0.15 : 0.85) + 0.1 * gauss()),
      height: clip(0.5 + 0.07 * gauss()),
      muscle: clip(0.5 + gauss() / 6), weight: clip(0.5 + gauss() / 6), proportions: clip(0.5 + gauss() / 6),
      age: ageSliderFromYears(25 + 35 * random()),
      african: eth[0] / sum, asian: eth[1] / sum, caucasian: eth[2] / sum,
    });
  }
  return out;
}

/**
 * targets: Map name → Float64Array (3V, reposed displacement, metres). Returns
 * { components: Float64Array[] (3V each, scaled to one standard deviation), coefficients (per
 *   component, its weight on each target of `names`), variances, scores (per sample, per component β), samples }.
 */
export function shapeComponents(targets, numComponents, numSamples = 4000) {
  const names = [...targets.keys()];
  const K = names.length;
  const D = names.map((n) => targets.get(n));
  const n3 = D[0].length;
  const base = macroTargetWeights(DEFAULT_SLIDERS, names);
  const samples = sampleSliders(numSamples);
  const coeffs = samples.map((s) => {
    const w = macroTargetWeights(s, names);
    return names.map((n) => w.get(n) - base.get(n));
  });
  const S = new Float64Array(K * K);
  for (const c of coeffs) for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) S[a * K + b] += (c[a] * c[b]) / numSamples;
  const G = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      for (let i = 0; i < n3; i++) s += D[a][i] * D[b][i];
      G[a * K + b] = G[b * K + a] = s;
    }
  }
  // D = U·A with U orthonormal (3V×r), A = Λ^½ Qᵀ (r×K), from G = Q Λ Qᵀ.
  const g = symmetricEigen(G, K);
  const r = g.values.filter((l) => l > 1e-12 * g.values[0]).length;
  const A = new Float64Array(r * K);
  for (let i = 0; i < r; i++) for (let k = 0; k < K; k++) A[i * K + k] = Math.sqrt(g.values[i]) * g.vectors[k * K + i];
  const M = new Float64Array(r * r); // A S Aᵀ
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) s += A[i * K + a] * S[a * K + b] * A[j * K + b];
      M[i * r + j] = s;
    }
  }
  const m = symmetricEigen(M, r);
  const components = [];
  const variances = m.values.slice(0, numComponents);
  // Component k in target space: e_k = D Q Λ^-½ p_k ⇒ coefficients t_k = Q Λ^-½ p_k; scaled by σ_k.
  const targetCoeffs = [];
  for (let k = 0; k < numComponents; k++) {
    const t = new Float64Array(K);
    for (let i = 0; i < r; i++) {
      const p = m.vectors[i * r + k] / Math.sqrt(g.values[i]);
      for (let a = 0; a < K; a++) t[a] += g.vectors[a * K + i] * p;
    }
    const sigma = Math.sqrt(variances[k]);
    const comp = new Float64Array(n3);
    for (let a = 0; a < K; a++) {
      const f = t[a] * sigma;
      if (f !== 0) for (let i = 0; i < n3; i++) comp[i] += f * D[a][i];
    }
    components.push(comp);
    targetCoeffs.push(t);
  }
  // β of each sample: e_kᵀ D c / σ_k = (t_kᵀ G c) / σ_k.
  const scores = coeffs.map((c) => targetCoeffs.map((t, k) => {
    let s = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) s += t[a] * G[a * K + b] * c[b];
    return s / Math.sqrt(variances[k]);
  }));
  const total = m.values.reduce((s, x) => s + Math.max(0, x), 0);
  // Component k = Σₐ coefficients[k][a] · targetₐ (so anything linear in the targets, e.g. joints, follows).
  const coefficients = targetCoeffs.map((t, k) => t.map((x) => x * Math.sqrt(variances[k])));
  return { components, coefficients, names, variances, explained: variances.map((v) => v / total), scores, samples };
}
