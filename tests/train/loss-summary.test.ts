// psnrFromMse (closed form, floor at identical images) and parseImageLossSummary, with their typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnrFromMse, PSNR_MIN_MSE } from '../../src/train/losses/psnr.js';
import { parseImageLossSummary, IMAGE_LOSS_SUMMARY_FIELDS } from '../../src/train/losses/loss-summary.js';
import { AvatarInputError } from '../../src/errors.js';
import { psnrTwin } from './loss-twin.js';

test('psnrFromMse: 10·log10(peak²/MSE), floored MSE for identical images, same as the GPU summary twin', () => {
  assert.equal(psnrFromMse(0.01), 20);
  assert.ok(Math.abs(psnrFromMse(1e-3) - 30) < 1e-12);
  assert.ok(Math.abs(psnrFromMse(255 * 255 * 1e-3, 255) - 30) < 1e-12);
  assert.equal(psnrFromMse(0), 100);
  assert.equal(psnrFromMse(PSNR_MIN_MSE / 2), 100);
  for (const mse of [0.3, 0.0123, 4e-6, 0]) assert.ok(Math.abs(psnrFromMse(mse) - psnrTwin(mse)) < 1e-12);
});

test('psnrFromMse rejects a negative or non-finite MSE and a bad peak with AvatarInputError', () => {
  assert.throws(() => psnrFromMse(-1e-3), (e: unknown) => e instanceof AvatarInputError && /mse: expected a finite number ≥ 0, got number -0.001/.test(e.message));
  assert.throws(() => psnrFromMse(NaN), AvatarInputError);
  assert.throws(() => psnrFromMse('0.1' as unknown as number), /mse: expected a finite number ≥ 0, got string/);
  assert.throws(() => psnrFromMse(0.1, 0), /peak: expected a finite number > 0, got number 0/);
});

test('parseImageLossSummary names the 5 floats at an offset and refuses a short array', () => {
  const values = new Float32Array([9, 9, 0.25, 0.125, 0.875, 0.0625, 12]);
  assert.deepEqual(parseImageLossSummary(values, 2), { loss: 0.25, l1: 0.125, ssim: 0.875, mse: 0.0625, psnr: 12 });
  assert.deepEqual(Object.keys(parseImageLossSummary(values, 0)), [...IMAGE_LOSS_SUMMARY_FIELDS]);
  assert.throws(() => parseImageLossSummary(values, 3), /offset: expected an integer in 0…2 \(5 floats must follow it\), got number 3/);
  assert.throws(() => parseImageLossSummary([1, 2, 3, 4, 5] as unknown as Float32Array), /values: expected a Float32Array, got Array\(5\)/);
});
