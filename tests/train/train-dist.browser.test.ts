// The built bundle (dist/gaussian-avatar.min.js, made by `npm test`'s build) trains in a worker
// started from the worker source inlined into the bundle: no worker file beside it, no fetch.
import { expect } from 'chai';
import { frontCamera } from '../helpers/front-camera.js';

const SIZE = 24;

describe('dist bundle training worker', () => {
  it('trains a tiny avatar in the inlined worker and returns typed errors from it', async () => {
    const sdk = await import(new URL('../../dist/gaussian-avatar.min.js', import.meta.url).href);
    const camera = frontCamera(SIZE, SIZE);
    // A flat grey person-sized blob is enough: this checks the worker runs, not fidelity.
    const image = new Float32Array(SIZE * SIZE * 3).fill(0.5);
    const frame = { image, pose: new Float32Array(72), trans: new Float32Array(3) };
    const fetches: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetches.push(String(input));
      return realFetch(input, init);
    };
    try {
      const result = await sdk.trainAvatarInWorkerDetailed({ camera, frames: [frame] }, { resolution: 16, stage1Iterations: 2, stage2Iterations: 0 });
      expect(result.iterations).to.deep.equal([2, 0]);
      expect(result.avatar.gaussians.count).to.be.above(10);
      expect(result.avatar.network).to.not.equal(undefined);
      result.avatar.body.dispose();
      let caught: unknown;
      try {
        await sdk.trainAvatarInWorker({ camera, frames: [{ ...frame, pose: new Float32Array(69) }] }, { resolution: 16 });
      } catch (e) {
        caught = e;
      }
      expect(caught, 'a bad pose is refused with the bundle’s own typed error').to.be.instanceOf(sdk.AvatarInputError);
    } finally {
      window.fetch = realFetch;
    }
    expect(fetches).to.deep.equal([]);
  });
});
