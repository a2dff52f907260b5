// The input-limits helper: defaults, overrides (Infinity turns a limit off), typed errors for bad
// limits and for sizes above a limit (the loaders' own tests check where each limit applies).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import { DEFAULT_INPUT_LIMITS, checkInputSize, resolveInputLimits } from '../../src/io/input-limits.js';

test('resolveInputLimits: the defaults, overridden key by key; bad keys and values are AvatarInputErrors', () => {
  assert.deepEqual(resolveInputLimits(undefined), DEFAULT_INPUT_LIMITS);
  assert.equal(DEFAULT_INPUT_LIMITS.maxMotionBytes, 64 * 2 ** 20);
  assert.equal(DEFAULT_INPUT_LIMITS.maxMotionFrames, 100_000);
  const raised = resolveInputLimits({ maxMotionFrames: 250_000, maxEntryBytes: Infinity, maxPlyBytes: undefined });
  assert.deepEqual(raised, { ...DEFAULT_INPUT_LIMITS, maxMotionFrames: 250_000, maxEntryBytes: Infinity });
  raised.maxAvatarBytes = 1;
  assert.equal(DEFAULT_INPUT_LIMITS.maxAvatarBytes, 256 * 2 ** 20, 'a resolved copy never writes through to the defaults');
  assert.throws(() => resolveInputLimits({ maxMotionSize: 1 }, 'options.limits'), (e: Error) => e instanceof AvatarInputError && /^options\.limits\.maxMotionSize: unknown limit \(expected one of maxMotionBytes, /.test(e.message));
  for (const bad of [-1, NaN, '5', null]) {
    assert.throws(() => resolveInputLimits({ maxAvatarBytes: bad }), (e: Error) => e instanceof AvatarInputError && /^limits\.maxAvatarBytes: expected a number ≥ 0 \(Infinity for no limit\)/.test(e.message));
  }
  assert.throws(() => resolveInputLimits([1]), (e: Error) => e instanceof AvatarInputError && /^limits: expected an object of limits/.test(e.message));
});

test('checkInputSize: at the limit passes; above it, InputTooLargeError (an AvatarFormatError) names the size, the limit and the option', () => {
  const limits = resolveInputLimits({ maxMotionFrames: 10 });
  checkInputSize('motion', 10, limits, 'maxMotionFrames', 'frames');
  assert.throws(() => checkInputSize('motion', 11, limits, 'maxMotionFrames', 'frames'), (e: Error) =>
    e instanceof InputTooLargeError && e instanceof AvatarFormatError && e.name === 'InputTooLargeError' &&
    e.message === 'motion: 11 frames, above the limit of 10 frames (raise it with limits.maxMotionFrames)');
  assert.throws(() => checkInputSize('avatar file', 300 * 2 ** 20, limits, 'maxAvatarBytes'), {
    message: 'avatar file: 314572800 bytes (300 MiB), above the limit of 268435456 bytes (256 MiB) (raise it with limits.maxAvatarBytes)',
  });
  checkInputSize('ply', 2 ** 40, resolveInputLimits({ maxPlyBytes: Infinity }), 'maxPlyBytes');
});
