// captureGpuErrors against a stand-in device that records its error-scope stack: the scopes are
// balanced whether the work returns or throws, the first error (validation before out-of-memory)
// comes back, and a lost device's rejected pop reads as no error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureGpuErrors } from '../../src/gpu/error-scope.js';

/** A device whose scopes catch what `raise` reports while they are open. */
function fakeDevice(options: { lost?: boolean } = {}) {
  const stack: { filter: string; error: { message: string } | null }[] = [];
  return {
    stack,
    raise(filter: string, message: string) {
      for (let k = stack.length - 1; k >= 0; k--) {
        if (stack[k]!.filter === filter) {
          stack[k]!.error ??= { message };
          return;
        }
      }
    },
    pushErrorScope(filter: string) {
      stack.push({ filter, error: null });
    },
    popErrorScope() {
      const scope = stack.pop();
      if (!scope) throw new Error('popErrorScope with no scope open');
      return options.lost ? Promise.reject(new Error('device lost')) : Promise.resolve(scope.error);
    },
  };
}

describe('captureGpuErrors', () => {
  it('returns the work\'s result and null when nothing went wrong, scopes balanced', async () => {
    const device = fakeDevice();
    const { result, error } = captureGpuErrors(device as unknown as GPUDevice, () => 42);
    assert.equal(result, 42);
    assert.equal(await error, null);
    assert.equal(device.stack.length, 0);
  });

  it('reports the validation error over an out-of-memory one', async () => {
    const device = fakeDevice();
    const { error } = captureGpuErrors(device as unknown as GPUDevice, () => {
      device.raise('out-of-memory', 'too big');
      device.raise('validation', 'bad copy');
    });
    assert.equal((await error)?.message, 'bad copy');
    assert.equal(device.stack.length, 0, 'both scopes closed, though the first already held an error');
  });

  it('reports an out-of-memory error alone', async () => {
    const device = fakeDevice();
    const { error } = captureGpuErrors(device as unknown as GPUDevice, () => device.raise('out-of-memory', 'too big'));
    assert.equal((await error)?.message, 'too big');
  });

  it('pops its scopes and passes the throw on when the work throws', () => {
    const device = fakeDevice();
    assert.throws(() => captureGpuErrors(device as unknown as GPUDevice, () => {
      throw new RangeError('encode failed');
    }), RangeError);
    assert.equal(device.stack.length, 0);
  });

  it('a lost device (pop rejects) reads as no error', async () => {
    const device = fakeDevice({ lost: true });
    const { error } = captureGpuErrors(device as unknown as GPUDevice, () => device.raise('validation', 'x'));
    assert.equal(await error, null);
  });
});
