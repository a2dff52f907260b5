/**
 * Plain TypeScript (f64) twins of the U-Net pose encoder's WGSL kernels (wgsl/conv2d_*.wgsl,
 * upsample_concat*.wgsl, mask_feature_map.wgsl) and of the whole encoder
 * (src/train/nn/unet-encoder.ts), forward and analytic backward, written the obvious way.
 * Maps are channel-major C × H × W (map[c, y, x] at (c·H + y)·W + x); a conv layer is
 * (9·C_in + 1) × C_out row-major: row (dy·3 + dx)·C_in + c, then the bias row.
 */

export type ConvTwinActivation = 'identity' | 'leaky_relu';

export const LEAKY_SLOPE = 0.2;

export function convActivateTwin(z: number, kind: ConvTwinActivation): number {
  return kind === 'leaky_relu' && z < 0 ? LEAKY_SLOPE * z : z;
}

export function convActivateDerivativeTwin(z: number, kind: ConvTwinActivation): number {
  return kind === 'leaky_relu' && z < 0 ? LEAKY_SLOPE : 1;
}

export interface ConvTwinShape {
  inChannels: number;
  outChannels: number;
  /** Input width and height. */
  width: number;
  height: number;
  stride: 1 | 2;
  /** Applied to the input as it is read. */
  activation: ConvTwinActivation;
}

/** Output size of a 3×3 conv with zero padding 1: ceil(size / stride). */
export function convOutputSize(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

/** The input texel (x, y) read by tap (dx, dy) ∈ {0,1,2}² of output texel (ox, oy), or null in the zero padding. */
function source(ox: number, oy: number, dx: number, dy: number, s: ConvTwinShape): [number, number] | null {
  const x = ox * s.stride + dx - 1, y = oy * s.stride + dy - 1;
  return x < 0 || y < 0 || x >= s.width || y >= s.height ? null : [x, y];
}

/** out[o, oy, ox] = b[o] + Σ_{dy, dx, c} W[(dy·3 + dx)·C_in + c][o] · act(in[c, oy·s + dy − 1, ox·s + dx − 1]). */
export function conv2dForwardTwin(input: ArrayLike<number>, layer: ArrayLike<number>, s: ConvTwinShape): Float64Array {
  const ow = convOutputSize(s.width, s.stride), oh = convOutputSize(s.height, s.stride);
  const out = new Float64Array(s.outChannels * ow * oh);
  for (let o = 0; o < s.outChannels; o++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let sum = layer[9 * s.inChannels * s.outChannels + o];
        for (let dy = 0; dy < 3; dy++) {
          for (let dx = 0; dx < 3; dx++) {
            const at = source(ox, oy, dx, dy, s);
            if (!at) continue;
            for (let c = 0; c < s.inChannels; c++) {
              const v = convActivateTwin(input[(c * s.height + at[1]) * s.width + at[0]], s.activation);
              sum += v * layer[((dy * 3 + dx) * s.inChannels + c) * s.outChannels + o];
            }
          }
        }
        out[(o * oh + oy) * ow + ox] = sum;
      }
    }
  }
  return out;
}

/** ∂L/∂in (of the pre-activations) = (Σ over the outputs that read each texel of W · ∂L/∂out) ⊙ act′(in). */
export function conv2dBackwardInputTwin(gradOut: ArrayLike<number>, layer: ArrayLike<number>, input: ArrayLike<number>, s: ConvTwinShape): Float64Array {
  const ow = convOutputSize(s.width, s.stride), oh = convOutputSize(s.height, s.stride);
  const grad = new Float64Array(s.inChannels * s.width * s.height);
  for (let o = 0; o < s.outChannels; o++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const g = gradOut[(o * oh + oy) * ow + ox];
        for (let dy = 0; dy < 3; dy++) {
          for (let dx = 0; dx < 3; dx++) {
            const at = source(ox, oy, dx, dy, s);
            if (!at) continue;
            for (let c = 0; c < s.inChannels; c++) grad[(c * s.height + at[1]) * s.width + at[0]] += g * layer[((dy * 3 + dx) * s.inChannels + c) * s.outChannels + o];
          }
        }
      }
    }
  }
  for (let k = 0; k < grad.length; k++) grad[k] *= convActivateDerivativeTwin(input[k], s.activation);
  return grad;
}

/** ∂L/∂layer (layer layout) and, per entry, Σ|terms| (the scale an f32 sum's rounding error grows with). */
export function conv2dBackwardLayerTwin(input: ArrayLike<number>, gradOut: ArrayLike<number>, s: ConvTwinShape): { grad: Float64Array; magnitude: Float64Array } {
  const ow = convOutputSize(s.width, s.stride), oh = convOutputSize(s.height, s.stride);
  const grad = new Float64Array((9 * s.inChannels + 1) * s.outChannels);
  const magnitude = new Float64Array(grad.length);
  const bias = 9 * s.inChannels * s.outChannels;
  for (let o = 0; o < s.outChannels; o++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const g = gradOut[(o * oh + oy) * ow + ox];
        grad[bias + o] += g;
        magnitude[bias + o] += Math.abs(g);
        for (let dy = 0; dy < 3; dy++) {
          for (let dx = 0; dx < 3; dx++) {
            const at = source(ox, oy, dx, dy, s);
            if (!at) continue;
            for (let c = 0; c < s.inChannels; c++) {
              const term = g * convActivateTwin(input[(c * s.height + at[1]) * s.width + at[0]], s.activation);
              const k = ((dy * 3 + dx) * s.inChannels + c) * s.outChannels + o;
              grad[k] += term;
              magnitude[k] += Math.abs(term);
            }
          }
        }
      }
    }
  }
  return { grad, magnitude };
}

/**
 * [up2(low), skip]: low is C_low × ⌈H/2⌉ × ⌈W/2⌉, skip C_skip × H × W; the output C_low + C_skip
 * channels of H × W, the first C_low nearest-upsampled (texel (x, y) reads low (⌊x/2⌋, ⌊y/2⌋)).
 */
export function upsampleConcatTwin(low: ArrayLike<number>, lowChannels: number, skip: ArrayLike<number>, skipChannels: number, width: number, height: number): Float64Array {
  const lw = convOutputSize(width, 2), lh = convOutputSize(height, 2);
  const out = new Float64Array((lowChannels + skipChannels) * width * height);
  for (let c = 0; c < lowChannels + skipChannels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        out[(c * height + y) * width + x] = c < lowChannels ? low[(c * lh + (y >> 1)) * lw + (x >> 1)] : skip[((c - lowChannels) * height + y) * width + x];
      }
    }
  }
  return out;
}

/** Backward of upsampleConcatTwin: ∂L/∂low sums each 2×2 block, ∂L/∂skip is the skip channels' gradient. */
export function upsampleConcatBackwardTwin(gradOut: ArrayLike<number>, lowChannels: number, skipChannels: number, width: number, height: number): { low: Float64Array; skip: Float64Array } {
  const lw = convOutputSize(width, 2), lh = convOutputSize(height, 2);
  const low = new Float64Array(lowChannels * lw * lh), skip = new Float64Array(skipChannels * width * height);
  for (let c = 0; c < lowChannels + skipChannels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const g = gradOut[(c * height + y) * width + x];
        if (c < lowChannels) low[(c * lh + (y >> 1)) * lw + (x >> 1)] += g;
        else skip[((c - lowChannels) * height + y) * width + x] = g;
      }
    }
  }
  return { low, skip };
}

/** out[c, y, x] = map[c, y, x] · mask[y, x] (its own adjoint). */
export function maskFeatureMapTwin(map: ArrayLike<number>, mask: ArrayLike<number>, channels: number): Float64Array {
  const plane = mask.length;
  const out = new Float64Array(channels * plane);
  for (let k = 0; k < out.length; k++) out[k] = map[k] * mask[k % plane];
  return out;
}

export interface UNetTwin {
  inputChannels: number;
  outputChannels: number;
  widths: number[];
  resolution: number;
  /** One conv layer per shape of unetConvShapes (src/train/nn/unet-encoder.ts). */
  convs: ArrayLike<number>[];
  mask?: ArrayLike<number>;
}

interface UNetTwinStep {
  /** What conv k reads (pre-activations, or the masked input for conv 0). */
  input: Float64Array;
  shape: ConvTwinShape;
  output: Float64Array;
}

/** The encoder's forward pass, every conv's input and output kept (the last output, masked, is y). */
export function unetForwardTwin(net: UNetTwin, input: ArrayLike<number>): { steps: UNetTwinStep[]; output: Float64Array } {
  const levels = net.widths.length;
  const size = (l: number) => net.resolution >> l;
  const steps: UNetTwinStep[] = [];
  const conv = (k: number, x: Float64Array, inChannels: number, outChannels: number, level: number, stride: 1 | 2, activation: ConvTwinActivation) => {
    const shape: ConvTwinShape = { inChannels, outChannels, width: size(level), height: size(level), stride, activation };
    const output = conv2dForwardTwin(x, net.convs[k], shape);
    steps[k] = { input: x, shape, output };
    return output;
  };
  const x = net.mask ? maskFeatureMapTwin(input, net.mask, net.inputChannels) : Float64Array.from(input);
  const encoded: Float64Array[] = [conv(0, x, net.inputChannels, net.widths[0], 0, 1, 'identity')];
  for (let l = 1; l < levels; l++) encoded.push(conv(l, encoded[l - 1], net.widths[l - 1], net.widths[l], l - 1, 2, 'leaky_relu'));
  let decoded = encoded[levels - 1];
  for (let l = levels - 2; l >= 0; l--) {
    const joined = upsampleConcatTwin(decoded, net.widths[l + 1], encoded[l], net.widths[l], size(l), size(l));
    decoded = conv(2 * levels - 2 - l, joined, net.widths[l + 1] + net.widths[l], net.widths[l], l, 1, 'leaky_relu');
  }
  const raw = conv(2 * levels - 1, decoded, net.widths[0], net.outputChannels, 0, 1, 'leaky_relu');
  return { steps, output: net.mask ? maskFeatureMapTwin(raw, net.mask, net.outputChannels) : raw };
}

/** Backward of unetForwardTwin: every conv's gradient (layer layout) with Σ|terms| magnitudes. */
export function unetBackwardTwin(net: UNetTwin, input: ArrayLike<number>, gradOutput: ArrayLike<number>): { convs: Float64Array[]; magnitudes: Float64Array[] } {
  const levels = net.widths.length;
  const size = (l: number) => net.resolution >> l;
  const { steps } = unetForwardTwin(net, input);
  const convs: Float64Array[] = [], magnitudes: Float64Array[] = [];
  const layerGrad = (k: number, gradOut: ArrayLike<number>) => {
    const { grad, magnitude } = conv2dBackwardLayerTwin(steps[k].input, gradOut, steps[k].shape);
    convs[k] = grad;
    magnitudes[k] = magnitude;
  };
  const inputGrad = (k: number, gradOut: ArrayLike<number>) => conv2dBackwardInputTwin(gradOut, net.convs[k], steps[k].input, steps[k].shape);
  const last = 2 * levels - 1;
  const gradRaw = net.mask ? maskFeatureMapTwin(gradOutput, net.mask, net.outputChannels) : Float64Array.from(gradOutput);
  layerGrad(last, gradRaw);
  let gradDecoded = inputGrad(last, gradRaw);
  const gradEncoded: Float64Array[] = [];
  for (let l = 0; l <= levels - 2; l++) {
    const k = 2 * levels - 2 - l;
    layerGrad(k, gradDecoded);
    const split = upsampleConcatBackwardTwin(inputGrad(k, gradDecoded), net.widths[l + 1], net.widths[l], size(l), size(l));
    gradEncoded[l] = split.skip;
    gradDecoded = split.low;
  }
  gradEncoded[levels - 1] = gradDecoded;
  for (let l = levels - 1; l >= 1; l--) {
    layerGrad(l, gradEncoded[l]);
    const back = inputGrad(l, gradEncoded[l]);
    for (let i = 0; i < back.length; i++) gradEncoded[l - 1][i] += back[i];
  }
  layerGrad(0, gradEncoded[0]);
  return { convs, magnitudes };
}
