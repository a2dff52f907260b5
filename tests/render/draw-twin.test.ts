// The drawer's twins against the rasterizer's twin (the training image): the drawn image agrees
// with it up to the documented differences (no early stop at T < 1e-4, no shading outside the
// 3σ square, 16-bit depth order), and each step does what its kernel's comment says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { twinRender } from './raster-twin.js';
import { twinDepthKeys, twinDraw, twinDrawOrder, twinDrawSplats, twinPresent, twinProjectForDraw } from './draw-twin.js';
import { makeCamera, makeScene, maxAbsDiff, unproject } from './splat-fixtures.js';

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

test('drawn image ≈ the rasterizer twin\'s image: overlapping random splats, opacities, background', () => {
  const camera = makeCamera(48, 36);
  const scene = makeScene(camera, { count: 60, seed: 4, sigma: [0.03, 0.2], opacity: [0.2, 1], background: [0.2, 0.5, 0.9] });
  const drawn = twinDraw(scene, camera);
  const raster = twinRender(scene, camera);
  const mean = meanAbsDiff(drawn, raster);
  const max = maxAbsDiff(drawn, raster);
  console.log(`draw twin vs raster twin: mean |Δ| ${mean.toExponential(2)}, max ${max.toExponential(2)}`);
  assert.ok(mean < 1 / 255 / 4, `mean |Δ| ${mean}`);
  assert.ok(max < 0.03, `max |Δ| ${max}`);
});

test('projection keeps exactly the visible splats; keys span 0…2¹⁸ − 1 in depth order; draw order is front to back', () => {
  const camera = makeCamera(40, 30);
  const scene = makeScene(camera, { count: 30, seed: 9, margin: 0.3 });
  // One behind the camera and one far off-screen: both culled.
  const behind = unproject(camera, 20, 15, -1);
  const off = unproject(camera, 40 * 5, 15, 3);
  const means = Float32Array.from([...scene.means, ...behind, ...off]);
  const s = { ...scene, means, scales: Float32Array.from([...scene.scales, 0.1, 0.01]), colors: Float32Array.from([...scene.colors, 1, 1, 1, 1, 1, 1]) };
  const visible = twinProjectForDraw(s, camera);
  const indices = visible.map((v) => v.index);
  assert.ok(!indices.includes(30) && !indices.includes(31), 'culled behind / off-screen');
  assert.ok(visible.length >= 20, `most random splats are visible (${visible.length})`);
  const keys = twinDepthKeys(visible.map((v) => v.depth));
  assert.equal(Math.min(...keys), 0);
  assert.equal(Math.max(...keys), 2 ** 18 - 1);
  const order = twinDrawOrder(keys);
  for (let k = 1; k < order.length; k++) assert.ok(visible[order[k - 1]].depth <= visible[order[k]].depth);
  assert.deepEqual(twinDepthKeys([2, 2, 2]), [0, 0, 0]);
});

test('front-to-back blending: one opaque splat in front hides the one behind; present adds T·bg and encodes sRGB', () => {
  const splat = (depth: number, color: [number, number, number]) => ({ index: 0, u: 4, v: 4, radius: 6, depth, A: 0.01, B: 0, C: 0.01, opacity: 1, color });
  const drawn = twinDrawSplats([splat(1, [1, 0, 0]), splat(2, [0, 1, 0])], 8, 8);
  const centre = 4 * (4 * 8 + 4);
  // α = 0.99 (clamped) at both: red 0.99, green 0.99·0.01, 1 − T = 1 − 0.01².
  assert.ok(Math.abs(drawn[centre] - 0.99) < 1e-3 && Math.abs(drawn[centre + 1] - 0.0099) < 1e-3);
  assert.ok(Math.abs(drawn[centre + 3] - (1 - 1e-4)) < 1e-4);
  const linear = twinPresent(new Float64Array([0, 0, 0, 0]), [0.5, 0.5, 0.5], false);
  assert.deepEqual(Array.from(linear), [0.5, 0.5, 0.5]);
  const srgb = twinPresent(new Float64Array([0, 0, 0, 0]), [0.5, 0.5, 0.5], true);
  assert.ok(Math.abs(srgb[0] - 0.7353569830524495) < 1e-9);
});
