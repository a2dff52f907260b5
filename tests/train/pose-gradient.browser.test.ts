// The pose-refinement gradient, end to end on the GPU: rasterizer backward → skinning backward →
// ∂L/∂M → ∂L/∂T_live = G·T_canon⁻ᵀ → BodyModel.backwardTransforms, checked against central finite
// differences of the f64 twins (skinning twin + rasterizer twin) on a tiny scene: the default
// body covered by a coarse UV map, seen from the front. All Gaussians share one colour: the
// composite is then independent of the depth order (c·(α₁ + α₂ − α₁α₂) either way), so the
// finite differences do not jump where neighbouring splats swap places in the sort, which the
// analytic gradient (rightly) does not see.
import { expect } from 'chai';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { createGaussianSkinner } from '../../src/render/gaussian-skinning.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { invertCanonicalTransforms, liveTransformGradient, poseGradientFromPosing, posingMatrices } from '../../src/train/pose-refinement.js';
import { frontCamera } from '../helpers/front-camera.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { twinLoss } from '../render/raster-twin.js';
import { skinForwardTwin } from '../render/skinning-twin.js';
import { makeRng } from '../render/splat-fixtures.js';

const WIDTH = 100, HEIGHT = 120;
const BACKGROUND: [number, number, number] = [0.2, 0.3, 0.4];

/** A pose with every joint turned a little (seeded), and a translation. */
function testPose(seed: number): { pose: Float32Array; trans: Float32Array } {
  const rng = makeRng(seed);
  const pose = Float32Array.from({ length: 72 }, () => 0.3 * (rng() - 0.5));
  return { pose, trans: new Float32Array([0.03, -0.02, 0.05]) };
}

/**
 * A smooth upstream gradient (low-frequency waves per channel): the smooth part of the response
 * adds up coherently over the pixels, while the small jumps of the rasterizer's cut-offs (α < 1/255,
 * 3σ tile rectangles) that finite differences pick up stay incoherent.
 */
function smoothGradImage(width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = Math.sin((x + 7 * c) / (9 + c)) * Math.cos((y - 5 * c) / 11);
    }
  }
  return out;
}

/** L(pose, trans) = Σ g·render(skin(canonical, M(pose, trans))) with the f64 twins. */
function twinObjective(avatar: Avatar, canonicalInverse: Float32Array, pose: Float32Array, trans: Float32Array, gradImage: Float32Array): number {
  const { gaussians: g, body } = avatar;
  const live = body.forward({ pose, trans, betas: avatar.betas }).transforms;
  const M = posingMatrices(live, canonicalInverse);
  const means = skinForwardTwin(g.positions, g.weights, M, g.count, body.numJoints);
  return twinLoss({ means, scales: g.scales, colors: g.colors, background: BACKGROUND }, frontCamera(WIDTH, HEIGHT), gradImage);
}

/** The GPU chain: G = ∂L/∂M from the rasterizer and skinning backward passes. */
async function gpuPosingGradient(device: GPUDevice, avatar: Avatar, M: Float32Array, gradImage: Float32Array): Promise<Float32Array> {
  const { gaussians: g, body } = avatar;
  const J = body.numJoints, N = g.count;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffer = (data: Float32Array) => createBufferFrom(device, data, usage);
  const canonical = buffer(g.positions), weights = buffer(g.weights), transforms = buffer(M);
  const scales = buffer(g.scales), colors = buffer(g.colors), gradImageBuffer = buffer(gradImage);
  const posed = buffer(new Float32Array(3 * N)), gradMeans = buffer(new Float32Array(3 * N)), gradCanonical = buffer(new Float32Array(3 * N));
  const gradScales = buffer(new Float32Array(N)), gradColors = buffer(new Float32Array(3 * N)), gradOpacities = buffer(new Float32Array(N));
  const gradTransforms = buffer(new Float32Array(16 * J).fill(NaN));
  const skinner = createGaussianSkinner(device, { maxGaussians: N, maxJoints: J });
  const rasterizer = createSplatRasterizer(device, { width: WIDTH, height: HEIGHT, maxGaussians: N });
  const camera = frontCamera(WIDTH, HEIGHT);
  await expectNoGpuError(device, async () => {
    const encoder = device.createCommandEncoder();
    skinner.encodeForward(encoder, { canonical, weights, transforms, posed, count: N, numJoints: J });
    rasterizer.encodeForward(encoder, { means: posed, scales, colors, count: N, camera, background: BACKGROUND });
    rasterizer.encodeBackward(encoder, { means: posed, scales, colors, count: N, gradImage: gradImageBuffer, gradMeans, gradScales, gradColors, gradOpacities });
    skinner.encodeBackward(encoder, { canonical, weights, transforms, gradPosed: gradMeans, gradCanonical, gradTransforms, count: N, numJoints: J });
    device.queue.submit([encoder.finish()]);
  });
  const { total, capacity } = await rasterizer.readIntersectionCount();
  expect(total, 'intersections fit').to.be.at.most(capacity);
  const result = new Float32Array(await readBuffer(device, gradTransforms));
  skinner.destroy();
  rasterizer.destroy();
  for (const b of [canonical, weights, transforms, scales, colors, gradImageBuffer, posed, gradMeans, gradCanonical, gradScales, gradColors, gradOpacities, gradTransforms]) b.destroy();
  return result;
}

describe('pose refinement gradient (splats → skinning → body reverse pass)', () => {
  let avatar: Avatar;
  before(async () => {
    avatar = await createDefaultAvatar({ resolution: 14 });
    for (let i = 0; i < avatar.gaussians.count; i++) avatar.gaussians.colors.set([0.9, 0.6, 0.1], 3 * i);
  });
  after(() => avatar?.body.dispose());

  it('∂L/∂T_live = G·T_canon⁻ᵀ matches finite differences of L = Σ G·(T_live·T_canon⁻¹)', () => {
    const J = avatar.body.numJoints;
    const inverse = invertCanonicalTransforms(avatar.canonicalTransforms, J);
    const rng = makeRng(5);
    const G = Float32Array.from({ length: 16 * J }, () => rng() - 0.5);
    const live = avatar.body.forward({ pose: testPose(2).pose, betas: avatar.betas }).transforms;
    const analytic = liveTransformGradient(G, inverse);
    const objective = (T: Float32Array) => posingMatrices(T, inverse).reduce((s, m, k) => s + m * G[k], 0);
    for (const k of [0, 5, 13, 16 * 7 + 2, 16 * 23 + 14]) {
      const plus = Float32Array.from(live), minus = Float32Array.from(live);
      plus[k] += 1e-2;
      minus[k] -= 1e-2;
      // L is linear in T: central differences are exact up to f32 rounding.
      expect(analytic[k]).to.be.closeTo((objective(plus) - objective(minus)) / 2e-2, 2e-3);
    }
  });

  it('∂L/∂pose and ∂L/∂trans from the GPU chain match central differences of the f64 twins', async () => {
    const device = await getTestDevice();
    const { body, gaussians } = avatar;
    expect(gaussians.count).to.be.within(50, 400);
    const J = body.numJoints;
    const inverse = invertCanonicalTransforms(avatar.canonicalTransforms, J);
    const { pose, trans } = testPose(11);
    const gradImage = smoothGradImage(WIDTH, HEIGHT);
    const M = posingMatrices(body.forward({ pose, trans, betas: avatar.betas }).transforms, inverse);
    const G = await gpuPosingGradient(device, avatar, M, gradImage);
    const analytic = poseGradientFromPosing(body, { pose, trans, betas: avatar.betas }, G, inverse);

    const h = 1e-3;
    const numeric = new Float64Array(75);
    for (let k = 0; k < 75; k++) {
      const p = Float32Array.from(pose), t = Float32Array.from(trans);
      const target = k < 72 ? p : t, index = k < 72 ? k : k - 72;
      const base = target[index];
      target[index] = base + h;
      const up = twinObjective(avatar, inverse, p, t, gradImage);
      target[index] = base - h;
      const down = twinObjective(avatar, inverse, p, t, gradImage);
      numeric[k] = (up - down) / (2 * h);
    }
    const gpu = [...analytic.pose, ...analytic.trans];
    let dot = 0, nn = 0, gg = 0, worst = 0, scale = 0;
    for (let k = 0; k < 75; k++) {
      dot += gpu[k] * numeric[k];
      nn += numeric[k] ** 2;
      gg += gpu[k] ** 2;
      scale = Math.max(scale, Math.abs(numeric[k]));
    }
    for (let k = 0; k < 75; k++) worst = Math.max(worst, Math.abs(gpu[k] - numeric[k]));
    const cosine = dot / Math.sqrt(nn * gg);
    console.log(`pose gradient: cosine ${cosine.toFixed(6)}, max |gpu − fd| / max |fd| = ${(worst / scale).toExponential(2)}, max |fd| ${scale.toExponential(2)}`);
    expect(scale, 'the scene gives a non-zero pose gradient').to.be.greaterThan(1e-2);
    expect(cosine).to.be.greaterThan(0.999);
    for (let k = 0; k < 75; k++) {
      const label = k < 72 ? `pose[${k}]` : `trans[${k - 72}]`;
      if (!(Math.abs(gpu[k] - numeric[k]) <= 0.05 * scale)) expect.fail(`${label}: GPU ${gpu[k]}, finite differences ${numeric[k]} (max |fd| ${scale})`);
    }
  });
});
