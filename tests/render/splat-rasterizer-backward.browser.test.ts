// GPU gradients vs the twin's analytic gradients (which tests/render/raster-twin.test.ts checks
// against finite differences).
import { expect } from 'chai';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';
import { twinGradients } from './raster-twin.js';
import { joinScenes, makeCamera, makeGradImage, makeScene, maxAbs, maxAbsDiff, unproject, type Camera, type Scene } from './splat-fixtures.js';

/** f32 GPU vs f64 twin: error relative to the largest gradient entry of that input. */
const RELATIVE_TOLERANCE = 1e-4;

async function compareGradients(scene: Scene, camera: Camera, seed: number, subgroups: boolean): Promise<Record<string, number>> {
  const device = await getTestDevice();
  const n = scene.scales.length;
  const r = createSplatRasterizer(device, { width: camera.width, height: camera.height, maxGaussians: Math.max(1, n), subgroups });
  expect(r.usesSubgroups).to.equal(subgroups && device.features.has('subgroups'));
  const gradImage = makeGradImage(camera.width, camera.height, seed);
  const gpu = await expectNoGpuError(device, () => r.gradients(scene, camera, gradImage));
  const twin = twinGradients(scene, camera, gradImage);
  const errors: Record<string, number> = {};
  for (const field of ['means', 'scales', 'colors', 'opacities'] as const) {
    expect(gpu[field].length, field).to.equal(twin[field].length);
    const scale = maxAbs(twin[field]);
    expect(scale, `${field}: the scene should produce non-zero gradients`).to.be.greaterThan(1e-3);
    errors[field] = maxAbsDiff(gpu[field], twin[field]) / scale;
    expect(errors[field], `${field}: max |gpu − twin| / max |twin|`).to.be.lessThan(RELATIVE_TOLERANCE);
  }
  r.destroy();
  return errors;
}

for (const subgroups of [true, false]) describe(`splat rasterizer backward vs twin (${subgroups ? 'subgroup path where available' : 'portable path'})`, () => {
  it('random overlapping splats with opacities < 0.99 and a background, 40×30', async () => {
    const camera = makeCamera(40, 30);
    const scene = makeScene(camera, { count: 60, seed: 21, sigma: [0.03, 0.25], opacity: [0.1, 0.95], background: [0.4, 0.1, 0.8] });
    console.log('relative errors', await compareGradients(scene, camera, 1, subgroups));
  });

  it('opacity 1 (α clamped at 0.99, early stop), off-screen and clamped-Jacobian splats, 53×37', async () => {
    const camera = makeCamera(53, 37);
    const inside = makeScene(camera, { count: 80, seed: 22, sigma: [0.05, 0.3], margin: 0.4 });
    const far: Scene = {
      means: Float32Array.from([...unproject(camera, -0.45 * 53, 18, 2.5), ...unproject(camera, 1.5 * 53, 40, 3)]),
      scales: new Float32Array([0.45, 0.6]),
      colors: new Float32Array([0.9, 0.1, 0.4, 0.2, 0.8, 0.3]),
      opacities: new Float32Array([0.7, 0.5]),
    };
    const behind = makeScene(camera, { count: 10, seed: 23, depth: [-2, 0.005] });
    console.log('relative errors', await compareGradients({ ...joinScenes(inside, far, behind), background: [1, 1, 1] }, camera, 2, subgroups));
  });

  it('N = 0 gives empty gradients and N = 1 matches', async () => {
    const device = await getTestDevice();
    const camera = makeCamera(20, 20);
    const r = createSplatRasterizer(device, { width: 20, height: 20, maxGaussians: 4, subgroups });
    const empty = await r.gradients({ means: new Float32Array(0), scales: new Float32Array(0), colors: new Float32Array(0) }, camera, makeGradImage(20, 20, 3));
    for (const a of Object.values(empty)) expect(a.length).to.equal(0);
    const one = { means: Float32Array.from(unproject(camera, 9.3, 11.2, 2)), scales: new Float32Array([0.08]), colors: new Float32Array([1, 0.5, 0.2]), opacities: new Float32Array([0.6]) };
    await compareGradients(one, camera, 4, subgroups);
  });
});
