import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError, GaussianAvatarError, describeValue } from '../src/errors.js';

describe('typed errors', () => {
  it('carry their class name and share a base class', () => {
    const e = new AvatarFormatError('motion.poses: expected N×72 float32, got 10×69');
    assert.equal(e.name, 'AvatarFormatError');
    assert.ok(e instanceof GaussianAvatarError);
    assert.ok(!(e instanceof AvatarInputError));
    assert.match(e.message, /motion\.poses/);
  });
  it('describe values for messages', () => {
    assert.equal(describeValue(new Float32Array(69)), 'Float32Array(69)');
    assert.equal(describeValue(NaN), 'number NaN');
    assert.equal(describeValue([1, 2]), 'Array(2)');
    assert.equal(describeValue(null), 'null');
  });
});
