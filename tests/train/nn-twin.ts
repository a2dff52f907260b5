/**
 * Plain TypeScript (f64) twins of the appearance network's WGSL kernels (wgsl/matmul_*.wgsl,
 * sample_features*.wgsl, concat_pose_code.wgsl, decode_heads*.wgsl, adam_step.wgsl): forward and
 * analytic backward, written the obvious way. Layouts as in src/train/nn/*.ts: row-major; a layer
 * is (I + 1) × O (W rows, then the bias row); F is C × R × R channel-major.
 */

export type TwinActivation = 'identity' | 'relu' | 'silu';

export function activateTwin(z: number, kind: TwinActivation): number {
  if (kind === 'relu') return Math.max(z, 0);
  if (kind === 'silu') return z / (1 + Math.exp(-z));
  return z;
}

export function activateDerivativeTwin(z: number, kind: TwinActivation): number {
  if (kind === 'relu') return z > 0 ? 1 : 0;
  if (kind === 'silu') {
    const s = 1 / (1 + Math.exp(-z));
    return s * (1 + z * (1 - s));
  }
  return 1;
}

/** Z = act(X) · W + b: X rows × inputs, layer (inputs + 1) × outputs → Z rows × outputs. */
export function matmulForwardTwin(x: ArrayLike<number>, layer: ArrayLike<number>, rows: number, inputs: number, outputs: number, act: TwinActivation): Float64Array {
  const z = new Float64Array(rows * outputs);
  for (let n = 0; n < rows; n++) {
    for (let o = 0; o < outputs; o++) {
      let sum = layer[inputs * outputs + o];
      for (let i = 0; i < inputs; i++) sum += activateTwin(x[n * inputs + i], act) * layer[i * outputs + o];
      z[n * outputs + o] = sum;
    }
  }
  return z;
}

/** ∂L/∂X = (∂L/∂Z · Wᵀ) ⊙ act′(X). */
export function matmulBackwardInputTwin(gradZ: ArrayLike<number>, layer: ArrayLike<number>, x: ArrayLike<number>, rows: number, inputs: number, outputs: number, act: TwinActivation): Float64Array {
  const gradX = new Float64Array(rows * inputs);
  for (let n = 0; n < rows; n++) {
    for (let i = 0; i < inputs; i++) {
      let sum = 0;
      for (let o = 0; o < outputs; o++) sum += gradZ[n * outputs + o] * layer[i * outputs + o];
      gradX[n * inputs + i] = sum * activateDerivativeTwin(x[n * inputs + i], act);
    }
  }
  return gradX;
}

/** ∂L/∂layer = [act(X), 1]ᵀ · ∂L/∂Z, with Σ|terms| per entry (the scale an f32 sum's rounding error grows with). */
export function matmulBackwardLayerTwin(x: ArrayLike<number>, gradZ: ArrayLike<number>, rows: number, inputs: number, outputs: number, act: TwinActivation): { grad: Float64Array; magnitude: Float64Array } {
  const grad = new Float64Array((inputs + 1) * outputs);
  const magnitude = new Float64Array((inputs + 1) * outputs);
  for (let n = 0; n < rows; n++) {
    for (let i = 0; i <= inputs; i++) {
      const a = i < inputs ? activateTwin(x[n * inputs + i], act) : 1;
      for (let o = 0; o < outputs; o++) {
        const term = a * gradZ[n * outputs + o];
        grad[i * outputs + o] += term;
        magnitude[i * outputs + o] += Math.abs(term);
      }
    }
  }
  return { grad, magnitude };
}

export interface MlpTwinLayers {
  widths: number[];
  activation: TwinActivation;
  /** One (widths[l] + 1) × widths[l+1] array per layer. */
  layers: ArrayLike<number>[];
}

/** The whole MLP: returns every layer's pre-activations (the last is the output). */
export function mlpForwardTwin(net: MlpTwinLayers, input: ArrayLike<number>, rows: number): Float64Array[] {
  const z: Float64Array[] = [];
  for (let l = 0; l < net.layers.length; l++) {
    z.push(matmulForwardTwin(l === 0 ? input : z[l - 1], net.layers[l], rows, net.widths[l], net.widths[l + 1], l === 0 ? 'identity' : net.activation));
  }
  return z;
}

/** Backward of mlpForwardTwin: per-layer gradients (layer layout) and ∂L/∂input. */
export function mlpBackwardTwin(net: MlpTwinLayers, input: ArrayLike<number>, gradOutput: ArrayLike<number>, rows: number): { layers: Float64Array[]; magnitudes: Float64Array[]; input: Float64Array } {
  const z = mlpForwardTwin(net, input, rows);
  const layers: Float64Array[] = [];
  const magnitudes: Float64Array[] = [];
  let gradZ: ArrayLike<number> = gradOutput;
  let gradInput: Float64Array = new Float64Array(0);
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const x = l === 0 ? input : z[l - 1];
    const act = l === 0 ? 'identity' : net.activation;
    const { grad, magnitude } = matmulBackwardLayerTwin(x, gradZ, rows, net.widths[l], net.widths[l + 1], act);
    layers[l] = grad;
    magnitudes[l] = magnitude;
    const gradX = matmulBackwardInputTwin(gradZ, net.layers[l], x, rows, net.widths[l], net.widths[l + 1], act);
    if (l === 0) gradInput = gradX;
    gradZ = gradX;
  }
  return { layers, magnitudes, input: gradInput };
}

/** Bilinear taps on an R × R grid: row 0 = top = v 1, texel centres at +0.5, clamp to edge. */
function taps(u: number, v: number, r: number): [number, number][] {
  const x = u * r - 0.5, y = (1 - v) * r - 0.5;
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  const clamp = (k: number) => Math.min(Math.max(k, 0), r - 1);
  return [
    [clamp(y0) * r + clamp(x0), (1 - fx) * (1 - fy)],
    [clamp(y0) * r + clamp(x0 + 1), fx * (1 - fy)],
    [clamp(y0 + 1) * r + clamp(x0), (1 - fx) * fy],
    [clamp(y0 + 1) * r + clamp(x0 + 1), fx * fy],
  ];
}

/** out[n · stride + offset + c] = bilinear sample of channel c of F at uv_n (other entries of `out` kept). */
export function sampleFeaturesTwin(features: ArrayLike<number>, channels: number, resolution: number, uv: ArrayLike<number>, count: number, out: Float64Array, stride: number, offset: number): void {
  const plane = resolution * resolution;
  for (let n = 0; n < count; n++) {
    const t = taps(uv[2 * n], uv[2 * n + 1], resolution);
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (const [texel, w] of t) sum += w * features[c * plane + texel];
      out[n * stride + offset + c] = sum;
    }
  }
}

/** ∂L/∂F (C × R × R) from ∂L/∂out (N × stride, columns offset…offset+C−1). */
export function sampleFeaturesBackwardTwin(gradOut: ArrayLike<number>, channels: number, resolution: number, uv: ArrayLike<number>, count: number, stride: number, offset: number): Float64Array {
  const plane = resolution * resolution;
  const grad = new Float64Array(channels * plane);
  for (let n = 0; n < count; n++) {
    const t = taps(uv[2 * n], uv[2 * n + 1], resolution);
    for (let c = 0; c < channels; c++) for (const [texel, w] of t) grad[c * plane + texel] += w * gradOut[n * stride + offset + c];
  }
  return grad;
}

/** out[n · stride + offset + j] = code[j]. */
export function concatPoseCodeTwin(code: ArrayLike<number>, count: number, out: Float64Array, stride: number, offset: number): void {
  for (let n = 0; n < count; n++) for (let j = 0; j < code.length; j++) out[n * stride + offset + j] = code[j];
}

/** ∂L/∂code[j] = Σ_n ∂L/∂out[n · stride + offset + j]. */
export function concatPoseCodeBackwardTwin(gradOut: ArrayLike<number>, length: number, count: number, stride: number, offset: number): Float64Array {
  const grad = new Float64Array(length);
  for (let n = 0; n < count; n++) for (let j = 0; j < length; j++) grad[j] += gradOut[n * stride + offset + j];
  return grad;
}

export interface HeadTwinParams {
  maxOffset: number;
  minScale: number;
  maxScale: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** raw N × 7 → offsets N × 3, scales N, colors N × 3. */
export function headsForwardTwin(raw: ArrayLike<number>, count: number, p: HeadTwinParams): { offsets: Float64Array; scales: Float64Array; colors: Float64Array } {
  const offsets = new Float64Array(3 * count), scales = new Float64Array(count), colors = new Float64Array(3 * count);
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < 3; k++) {
      offsets[3 * n + k] = p.maxOffset * Math.tanh(raw[7 * n + k]);
      colors[3 * n + k] = sigmoid(raw[7 * n + 4 + k]);
    }
    scales[n] = p.minScale + (p.maxScale - p.minScale) * sigmoid(raw[7 * n + 3]);
  }
  return { offsets, scales, colors };
}

export function headsBackwardTwin(raw: ArrayLike<number>, gradOffsets: ArrayLike<number>, gradScales: ArrayLike<number>, gradColors: ArrayLike<number>, count: number, p: HeadTwinParams): Float64Array {
  const grad = new Float64Array(7 * count);
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < 3; k++) {
      const th = Math.tanh(raw[7 * n + k]);
      grad[7 * n + k] = gradOffsets[3 * n + k] * p.maxOffset * (1 - th * th);
      const s = sigmoid(raw[7 * n + 4 + k]);
      grad[7 * n + 4 + k] = gradColors[3 * n + k] * s * (1 - s);
    }
    const s = sigmoid(raw[7 * n + 3]);
    grad[7 * n + 3] = gradScales[n] * (p.maxScale - p.minScale) * s * (1 - s);
  }
  return grad;
}

export interface AdamTwinState {
  param: Float64Array;
  m: Float64Array;
  v: Float64Array;
  step: number;
}

/** One AdamW step (PyTorch semantics: decoupled decay, bias-corrected moments), in place. */
export function adamStepTwin(state: AdamTwinState, grad: ArrayLike<number>, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number): void {
  state.step++;
  const bc1 = 1 - beta1 ** state.step, bc2 = 1 - beta2 ** state.step;
  for (let i = 0; i < state.param.length; i++) {
    const g = grad[i];
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g;
    state.param[i] *= 1 - lr * weightDecay;
    state.param[i] -= (lr * (state.m[i] / bc1)) / (Math.sqrt(state.v[i] / bc2) + epsilon);
  }
}

/** A deterministic pseudo-random generator in [0, 1) for fixtures. */
export function fixtureRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `length` values uniform in [lo, hi), rounded to f32. */
export function randomFloats(length: number, rand: () => number, lo = -1, hi = 1): Float32Array<ArrayBuffer> {
  return Float32Array.from({ length }, () => lo + (hi - lo) * rand());
}

/** Largest |a − b| (Infinity when any is NaN). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
