// Errors crossing the worker boundary come back as the same typed class with the same message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortError, AvatarFormatError, AvatarInputError, GaussianAvatarError, GpuDeviceError, WebGPUUnavailableError,
} from '../../src/errors.js';
import { reviveError, serializeError } from '../../src/player/revive-error.js';

test('every typed error survives serialise → structured clone → revive', () => {
  for (const Class of [GaussianAvatarError, AvatarFormatError, AvatarInputError, WebGPUUnavailableError, GpuDeviceError, AbortError]) {
    const original = new Class(`field: expected something, got ${Class.name}`);
    const revived = reviveError(structuredClone(serializeError(original)));
    assert.ok(revived instanceof Class, `${Class.name} revived as ${revived.constructor.name}`);
    assert.ok(revived instanceof GaussianAvatarError);
    assert.equal(revived.message, original.message);
    assert.equal(revived.name, Class.name);
  }
});

test("comlink's rethrown errors (plain Error with the name set) are typed again", () => {
  const rethrown = Object.assign(new Error('time: expected a finite number of seconds, got number NaN'), { name: 'AvatarInputError' });
  const revived = reviveError(rethrown);
  assert.ok(revived instanceof AvatarInputError);
  assert.equal(revived.message, rethrown.message);
});

test('typed errors pass through; WebGPU errors become GpuDeviceError; others stay as they are', () => {
  const typed = new AvatarFormatError('x');
  assert.equal(reviveError(typed), typed);
  assert.ok(reviveError({ name: 'GPUValidationError', message: 'bad' }) instanceof GpuDeviceError);
  const range = new RangeError('r');
  assert.equal(reviveError(range), range);
  const plain = reviveError({ name: 'SomethingElse', message: 'm' });
  assert.equal(plain.name, 'SomethingElse');
  assert.equal(plain.message, 'm');
  assert.deepEqual(serializeError('text'), { name: 'Error', message: 'text' });
});
