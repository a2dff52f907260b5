import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AvatarInputError } from '../../src/errors.js';
import { isCpuAdapter } from '../../src/gpu/adapter-kind.js';
import { FIT_PRESETS, fitPresetFor, resolveFitSettings } from '../../src/fit/fit-settings.js';
import { TrainingClock } from '../../src/fit/training-clock.js';

/** A device whose adapter describes itself as `info` (all isCpuAdapter and the presets read). */
const deviceOf = (info?: Partial<GPUAdapterInfo>) => ({ adapterInfo: info && { vendor: '', architecture: '', device: '', description: '', ...info } }) as unknown as GPUDevice;
const SWIFTSHADER = deviceOf({ vendor: 'google', architecture: 'swiftshader' });
const LAVAPIPE = deviceOf({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' });
const NVIDIA = deviceOf({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' });

test('isCpuAdapter: CPU implementations of WebGPU by their adapter info; a GPU or no info is not one', () => {
  assert.equal(isCpuAdapter(SWIFTSHADER), true);
  assert.equal(isCpuAdapter(LAVAPIPE), true);
  assert.equal(isCpuAdapter(deviceOf({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver (WARP)' })), true);
  assert.equal(isCpuAdapter(NVIDIA), false);
  assert.equal(isCpuAdapter(deviceOf({ vendor: 'apple', architecture: 'metal-3' })), false);
  assert.equal(isCpuAdapter(deviceOf()), false);
});

test("fitPresetFor: 'auto' (or absent) is light on a CPU adapter and full on a GPU; a named preset is taken as it is", () => {
  assert.equal(fitPresetFor(undefined, SWIFTSHADER), 'light');
  assert.equal(fitPresetFor('auto', LAVAPIPE), 'light');
  assert.equal(fitPresetFor('auto', NVIDIA), 'full');
  assert.equal(fitPresetFor('full', SWIFTSHADER), 'full');
  assert.equal(fitPresetFor('light', NVIDIA), 'light');
  for (const bad of ['fast', 'Light', 1, null, {}]) {
    assert.throws(() => fitPresetFor(bad, NVIDIA), (e: unknown) => e instanceof AvatarInputError && /^options\.preset: expected 'auto', 'full' or 'light', got /.test(e.message), String(bad));
  }
});

test('resolveFitSettings: the preset fills what the options leave out; fitFromVideo’s own options win over training’s', () => {
  assert.deepEqual(resolveFitSettings({}, SWIFTSHADER), { preset: 'light', ...FIT_PRESETS.light });
  assert.deepEqual(resolveFitSettings({}, NVIDIA), { preset: 'full', ...FIT_PRESETS.full });
  assert.deepEqual(FIT_PRESETS.light, { frameCount: 24, maxSize: 256, resolution: 64, stage1Iterations: 600, stage2Iterations: 150 });
  assert.deepEqual(FIT_PRESETS.full, { frameCount: 30, maxSize: 512, resolution: 128, stage1Iterations: 3000, stage2Iterations: 1000 });
  assert.deepEqual(
    resolveFitSettings({ frameCount: 10, stage2Iterations: 0, training: { resolution: 32, stage2Iterations: 99 } }, SWIFTSHADER),
    { preset: 'light', frameCount: 10, maxSize: 256, resolution: 32, stage1Iterations: 600, stage2Iterations: 0 },
  );
  assert.equal(resolveFitSettings({ resolution: 48, training: { resolution: 32 } }, NVIDIA).resolution, 48);
  assert.equal(resolveFitSettings({ preset: 'light', maxSize: 300 }, NVIDIA).maxSize, 300);
  // A null is a wrong value (trainAvatar names it), not an absent one.
  assert.equal(resolveFitSettings({ resolution: null as unknown as number, training: { resolution: 32 } }, NVIDIA).resolution, null);
  assert.throws(() => resolveFitSettings({ frameCount: 0 }, NVIDIA), /^AvatarInputError: options\.frameCount: expected an integer in 1…10000, got number 0$/);
  assert.throws(() => resolveFitSettings({ maxSize: 8.5 }, NVIDIA), /options\.maxSize: expected an integer in 16…4096/);
});

test('TrainingClock: seconds left from the pace so far, stage 2 counted at stage 1’s pace until it runs', () => {
  let now = 1000;
  const clock = new TrainingClock(600, 150, () => now);
  assert.equal(clock.secondsLeft(1, 0), undefined, 'nothing to go on before an iteration is done');
  now += 60_000; // 100 iterations in 60 s (setup included): 0.6 s each
  assert.ok(Math.abs(clock.secondsLeft(1, 100)! - (500 + 150) * 0.6) < 1e-9);
  now += 300_000; // stage 1's last 500 iterations at 0.6 s
  assert.ok(Math.abs(clock.secondsLeft(1, 600)! - 150 * 0.6) < 1e-9, 'at the end of stage 1: stage 2 at its pace');
  now += 25_000; // stage 2 is slower: 25 iterations in 25 s
  assert.ok(Math.abs(clock.secondsLeft(2, 25)! - 125) < 1e-9);
  now += 125_000;
  assert.equal(clock.secondsLeft(2, 150), 0);
  const stage1Only = new TrainingClock(10, 0, () => now);
  now += 5_000;
  assert.equal(stage1Only.secondsLeft(1, 5), 5, "5 iterations in 5 s, 5 to go");
});
