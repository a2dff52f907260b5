// The twin's analytic gradients against central finite differences of the twin's own forward,
// in f64. This is what makes the twin a trustworthy oracle for the GPU backward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twinGradients, twinLoss, twinRender, type TwinScene } from './raster-twin.js';
import { joinScenes, makeCamera, makeGradImage, makeScene, maxAbs, unproject, type Camera, type Scene } from './splat-fixtures.js';

type Field = 'means' | 'scales' | 'colors' | 'opacities';

function toF64(scene: Scene): Required<Omit<TwinScene, 'background'>> & { background?: number[] } {
  const n = scene.scales.length;
  return {
    means: Float64Array.from(scene.means),
    scales: Float64Array.from(scene.scales),
    colors: Float64Array.from(scene.colors),
    opacities: scene.opacities ? Float64Array.from(scene.opacities) : new Float64Array(n).fill(1),
    background: scene.background,
  };
}

/** Checks every entry of every gradient against (L(x+h) − L(x−h)) / 2h; returns the worst relative error per field. */
function checkAgainstFiniteDifferences(scene: Scene, camera: Camera, seed: number, h = 1e-6): Record<Field, number> {
  const s = toF64(scene);
  const gradImage = makeGradImage(camera.width, camera.height, seed);
  const analytic = twinGradients(s, camera, gradImage);
  const worst = {} as Record<Field, number>;
  for (const field of ['means', 'scales', 'colors', 'opacities'] as Field[]) {
    const values = s[field] as Float64Array;
    const grad = analytic[field];
    const scale = maxAbs(grad);
    assert.ok(scale > 1e-3, `${field}: analytic gradient is all ~0 (max ${scale}); the scene does not exercise it`);
    let err = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      values[i] = x + h;
      const up = twinLoss(s, camera, gradImage);
      values[i] = x - h;
      const down = twinLoss(s, camera, gradImage);
      values[i] = x;
      const fd = (up - down) / (2 * h);
      err = Math.max(err, Math.abs(fd - grad[i]) / scale);
    }
    worst[field] = err;
    assert.ok(err < 1e-5, `${field}: analytic vs finite differences, max error ${err} relative to max |grad| ${scale}`);
  }
  return worst;
}

test('twin gradients match finite differences: random overlapping scene, background, opacities < 0.99', () => {
  const camera = makeCamera(40, 30);
  const scene = makeScene(camera, { count: 14, seed: 11, sigma: [0.05, 0.25], opacity: [0.3, 0.95], background: [0.2, 0.5, 0.9] });
  const worst = checkAgainstFiniteDifferences(scene, camera, 5);
  console.log('max relative error vs FD', worst);
});

test('twin gradients match finite differences: opacity 1 (α clamped at 0.99), off-screen and clamped-Jacobian splats', () => {
  const camera = makeCamera(37, 29);
  const inside = makeScene(camera, { count: 8, seed: 3, sigma: [0.08, 0.2], margin: 0.3 });
  // Far left of the image but wide enough to reach into it: x/z beyond the Jacobian clamp.
  const far: Scene = {
    means: Float32Array.from(unproject(camera, -0.45 * camera.width, 0.5 * camera.height, 2.5)),
    scales: new Float32Array([0.45]),
    colors: new Float32Array([0.9, 0.1, 0.4]),
    opacities: new Float32Array([0.7]),
  };
  const scene = joinScenes(inside, far);
  scene.background = [1, 1, 1];
  checkAgainstFiniteDifferences(scene, camera, 6);
});

test('twin forward: N = 0 renders the background; a far-behind Gaussian is culled', () => {
  const camera = makeCamera(20, 18);
  const empty = twinRender({ means: [], scales: [], colors: [], background: [0.1, 0.2, 0.3] }, camera);
  for (let i = 0; i < empty.length; i++) assert.equal(empty[i], [0.1, 0.2, 0.3][i % 3]);
  const behind = twinRender({ means: unproject(camera, 10, 9, -2), scales: [0.5], colors: [1, 1, 1] }, camera);
  assert.equal(maxAbs(behind), 0);
  const inFront = twinRender({ means: unproject(camera, 10, 9, 2), scales: [0.5], colors: [1, 1, 1] }, camera);
  assert.ok(inFront[3 * (9 * 20 + 10)] > 0.9);
});
