// psnrFromMse: the closed form, its floor at identical images, typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnrFromMse, PSNR_MIN_MSE } from '../../src/train/losses/psnr.js';
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
