/// <reference types="mocha" />
/**
 * Appearance network speed: the per-Gaussian MLP [in, 128, 128, 7] forward and forward+backward
 * (ReLU and SiLU), feature sampling and its gather backward, the heads, and an Adam step over all
 * parameters — for N = 100 000 Gaussians on a real GPU (smaller on SwiftShader). Wall clock per
 * call (median of several submits, each awaited with onSubmittedWorkDone), printed as a table with
 * the adapter name. Never asserts speed.
 */
import { getTestDevice } from '../helpers/gpu-device.js';
import { adapterName, medianMs } from './bench-helpers.js';
import { createBufferFrom } from '../../src/gpu/buffers.js';
import { createMlp } from '../../src/train/nn/mlp.js';
import { createFeatureTensor } from '../../src/train/nn/feature-tensor.js';
import { createAppearanceHeads } from '../../src/train/nn/heads.js';
import { createAdam } from '../../src/train/nn/adam.js';
import { fixtureRandom, randomFloats } from '../train/nn-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

describe('appearance network benchmark', () => {
  it('prints MLP, feature sampling, heads and Adam throughput', async () => {
    const device = await getTestDevice();
    const name = adapterName(device);
    const slow = /swiftshader/i.test(name);
    const count = slow ? 2_048 : 100_000;
    const runs = slow ? 3 : 20;
    const channels = 32, resolution = 256, hidden = 128;
    const rows: string[] = [];
    const row = (op: string, ms: number, flops?: number) =>
      rows.push(`| ${op} | ${count.toLocaleString('en-US')} | ${ms.toFixed(3)} | ${(count / ms / 1e3).toPrecision(3)} | ${flops ? (flops / ms / 1e6).toPrecision(3) : '–'} |`);

    const rand = fixtureRandom(1);
    const uv = randomFloats(2 * count, rand, 0, 1);
    const features = createFeatureTensor(device, { channels, resolution, uv });
    const heads = createAppearanceHeads(device);
    const input = device.createBuffer({ size: 4 * count * channels, usage: USAGE() });
    const raw = device.createBuffer({ size: 4 * count * 7, usage: USAGE() });
    const gradRaw = createBufferFrom(device, randomFloats(count * 7, rand), USAGE());
    const gradInput = device.createBuffer({ size: 4 * count * channels, usage: USAGE() });
    const offsets = device.createBuffer({ size: 12 * count, usage: USAGE() });
    const scales = device.createBuffer({ size: 4 * count, usage: USAGE() });
    const colors = device.createBuffer({ size: 12 * count, usage: USAGE() });

    row(`sample features (C ${channels}, ${resolution}²)`, await medianMs(device, runs, (e) => features.encodeSample(e, { output: input })));
    row('sample features backward (gather)', await medianMs(device, runs, (e) => features.encodeBackward(e, { gradOutput: gradInput })));
    row('heads forward', await medianMs(device, runs, (e) => heads.encodeForward(e, { raw, offsets, scales, colors, count })));
    row('heads backward', await medianMs(device, runs, (e) => heads.encodeBackward(e, { raw, gradOffsets: offsets, gradScales: scales, gradColors: colors, gradRaw, count })));

    const layers = [channels, hidden, hidden, 7];
    // Multiply-adds per row: Σ I·O; forward 2 flops each, backward (input + layer gradients) 4.
    const macs = layers.slice(0, -1).reduce((s, w, l) => s + w * layers[l + 1], 0);
    for (const activation of ['relu', 'silu'] as const) {
      const mlp = createMlp(device, { layers, activation, maxRows: count });
      row(`MLP [${layers}] ${activation} forward`, await medianMs(device, runs, (e) => mlp.encodeForward(e, { input, output: raw, count })), 2 * macs * count);
      row(`MLP [${layers}] ${activation} forward + backward`, await medianMs(device, runs, (e) => {
        mlp.encodeForward(e, { input, output: raw, count });
        mlp.encodeBackward(e, { input, gradOutput: gradRaw, gradInput, count });
      }), 6 * macs * count);
      if (activation === 'relu') {
        const adam = createAdam(device, [...mlp.parameters, ...features.parameters].map((p) => ({ ...p, lr: 1e-3 })));
        row(`Adam step (${[...mlp.parameters, ...features.parameters].reduce((s, p) => s + p.count, 0).toLocaleString('en-US')} parameters)`, await medianMs(device, runs, (e) => adam.encodeStep(e)));
        adam.destroy();
      }
      mlp.destroy();
    }
    // Stage 2: a 138-entry pose code per frame, in every input row or folded into layer 0's bias.
    const code = 138;
    const fullInput = device.createBuffer({ size: 4 * count * (channels + code), usage: USAGE() });
    const fullGradInput = device.createBuffer({ size: 4 * count * (channels + code), usage: USAGE() });
    const shared = createBufferFrom(device, randomFloats(code, rand), USAGE());
    const poseLayers = [channels + code, hidden, hidden, 7];
    const poseMacs = poseLayers.slice(0, -1).reduce((s, w, l) => s + w * poseLayers[l + 1], 0);
    const inRows = createMlp(device, { layers: poseLayers, maxRows: count });
    row(`MLP [${poseLayers}] relu fwd + bwd, code in every row`, await medianMs(device, runs, (e) => {
      inRows.encodeForward(e, { input: fullInput, output: raw, count });
      inRows.encodeBackward(e, { input: fullInput, gradOutput: gradRaw, gradInput: fullGradInput, count });
    }), 6 * poseMacs * count);
    inRows.destroy();
    const folded = createMlp(device, { layers: poseLayers, maxRows: count, sharedInputs: code });
    row(`MLP [${poseLayers}] relu fwd + bwd, code folded (sharedInputs ${code})`, await medianMs(device, runs, (e) => {
      folded.encodeForward(e, { input, shared, output: raw, count });
      folded.encodeBackward(e, { input, shared, gradOutput: gradRaw, gradInput, count });
    }), 6 * macs * count); // the work actually done: layer 0 on the 32 per-row inputs
    folded.destroy();
    for (const b of [fullInput, fullGradInput, shared]) b.destroy();
    features.destroy();
    heads.destroy();
    for (const b of [input, raw, gradRaw, gradInput, offsets, scales, colors]) b.destroy();

    console.log([
      `Appearance network — ${name} (${navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'browser'}); wall clock per call incl. submit, median of ${runs}`,
      '| operation | N | ms | M rows/s | GFLOP/s |',
      '|---|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'));
  });
});
