// The body-model WASM in real Chromium: instantiates from the inlined base64 (no fetch), matches the
// f64 twin, gradients agree with the twin's reverse mode, and pose math loads from the same instance.
import { expect } from 'chai';
import { createBodyModel } from '../../src/body/body-model.js';
import { loadPoseMath } from '../../src/body/pose-math.js';
import { AvatarInputError } from '../../src/errors.js';
import { randomBodyData, randomPose, randomVector } from '../helpers/random-body.js';
import { twinBackward, twinForward, twinRodrigues } from './twin.js';
import { maxAbsDiff, relativeError } from './compare.js';

describe('body model in the browser', () => {
  it('forward matches the twin (V=300, J=24, B=10)', async () => {
    const data = randomBodyData({ numVertices: 300, seed: 3 });
    const model = await createBodyModel(data);
    const params = { pose: randomPose(24, 4), betas: randomVector(10, 5, 2), trans: [0.2, 1, -0.5] };
    const got = model.forward(params);
    const want = twinForward(data, params);
    expect(maxAbsDiff(got.vertices, want.vertices)).to.be.below(1e-4);
    expect(maxAbsDiff(got.joints, want.joints)).to.be.below(1e-4);
    expect(maxAbsDiff(got.transforms, want.transforms)).to.be.below(1e-4);
    const gV = Float32Array.from(randomVector(300 * 3, 6));
    const g = model.backward(params, gV);
    const t = twinBackward(data, params, 'vertices', gV);
    expect(relativeError([...g.pose, ...g.betas, ...g.trans], [...t.pose, ...t.betas, ...t.trans])).to.be.below(1e-5);
    model.dispose();
  });

  it('pose math and typed errors', async () => {
    const pm = await loadPoseMath();
    const R = pm.axisAngleToMatrix([0.3, -0.2, 0.9]);
    const want = twinRodrigues(0.3, -0.2, 0.9);
    expect(maxAbsDiff(R, [want[0]!, want[3]!, want[6]!, want[1]!, want[4]!, want[7]!, want[2]!, want[5]!, want[8]!])).to.be.below(1e-6);
    const model = await createBodyModel(randomBodyData({ numVertices: 20, seed: 7 }));
    expect(() => model.forward({ pose: new Float32Array(69) })).to.throw(AvatarInputError, /^pose: expected 72/);
    model.dispose();
  });

  it('works inside a module worker', async () => {
    const data = randomBodyData({ numVertices: 100, seed: 8 });
    const params = { pose: randomPose(24, 9), betas: randomVector(10, 10) };
    const worker = new Worker(new URL('./body-model-worker.ts', import.meta.url), { type: 'module' });
    const reply = await new Promise<{ vertices?: Float32Array; error?: string }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
      worker.postMessage({ data, params });
    });
    worker.terminate();
    expect(reply.error).to.equal(undefined);
    expect(maxAbsDiff(reply.vertices!, twinForward(data, params).vertices)).to.be.below(1e-4);
  });
});
