/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createAdam } from '../../src/train/nn/adam.js';
import { AvatarInputError } from '../../src/errors.js';
import { adamStepTwin, fixtureRandom, randomFloats, type AdamTwinState } from './nn-twin.js';
import { expectClose, readFloats, submit, upload } from './nn-gpu-helpers.js';

const twinState = (param: Float32Array): AdamTwinState => ({ param: Float64Array.from(param), m: new Float64Array(param.length), v: new Float64Array(param.length), step: 0 });

describe('createAdam (Adam / AdamW step, WGSL)', () => {
  it('matches the twin over 6 steps on 3 groups (own lr and weight decay, a frozen group, an lr change)', async () => {
    const device = await getTestDevice();
    const rand = fixtureRandom(12);
    const sizes = [1000, 37, 5];
    const params = sizes.map((n) => randomFloats(n, rand));
    const buffers = params.map((p) => upload(device, p));
    const grads = sizes.map((n) => upload(device, new Float32Array(n)));
    const groups = [
      { buffer: buffers[0], grad: grads[0], count: 1000, lr: 1e-2, name: 'layer0' },
      { buffer: buffers[1], grad: grads[1], count: 37, lr: 3e-3, weightDecay: 0.1, name: 'features' },
      { buffer: buffers[2], grad: grads[2], count: 5, lr: 0, name: 'frozen' },
    ];
    const adam = createAdam(device, groups, { epsilon: 1e-8 });
    const twins = params.map(twinState);
    const lrs = [1e-2, 3e-3, 0];
    for (let step = 1; step <= 6; step++) {
      if (step === 4) {
        adam.setLearningRate(0, 5e-3);
        lrs[0] = 5e-3;
      }
      const g = sizes.map((n) => randomFloats(n, rand, -2, 2));
      g.forEach((values, i) => device.queue.writeBuffer(grads[i], 0, values));
      await expectNoGpuError(device, () => submit(device, (encoder) => adam.encodeStep(encoder)));
      twins.forEach((t, i) => { if (lrs[i] > 0) adamStepTwin(t, g[i], lrs[i], 0.9, 0.999, 1e-8, groups[i].weightDecay ?? 0); });
    }
    expect(adam.step).to.equal(6);
    expect(adam.learningRate(0)).to.equal(5e-3);
    for (let i = 0; i < 2; i++) {
      expectClose(`group ${i} parameters`, await readFloats(device, buffers[i], sizes[i]), twins[i].param, 1e-6, 1e-5);
      const { m, v } = await adam.readMoments(i);
      expectClose(`group ${i} m`, m, twins[i].m, 1e-6, 1e-5);
      expectClose(`group ${i} v`, v, twins[i].v, 1e-7, 1e-5);
    }
    expect([...await readFloats(device, buffers[2], 5)], 'frozen group').to.deep.equal([...params[2]]);
    adam.destroy();
    for (const b of [...buffers, ...grads]) b.destroy();
  });

  it('several steps encoded before one submit each use their own step number; encodeReset restarts', async () => {
    const device = await getTestDevice();
    const param = Float32Array.from([1, -2, 0.5]);
    const grad = Float32Array.from([0.3, -0.7, 1e-3]);
    const buffer = upload(device, param), gradBuffer = upload(device, grad);
    const adam = createAdam(device, [{ buffer, grad: gradBuffer, count: 3, lr: 0.05 }]);
    await submit(device, (encoder) => {
      for (let k = 0; k < 3; k++) adam.encodeStep(encoder);
    });
    const twin = twinState(param);
    for (let k = 0; k < 3; k++) adamStepTwin(twin, grad, 0.05, 0.9, 0.999, 1e-15, 0);
    expectClose('after 3 steps in one submit', await readFloats(device, buffer, 3), twin.param, 1e-6, 1e-5);
    // A constant gradient moves every parameter by exactly lr per step (bias-corrected m̂/√v̂ = sign g).
    expectClose('3 · lr against the gradient sign', await readFloats(device, buffer, 3), [1 - 0.15, -2 + 0.15, 0.5 - 0.15], 1e-5);
    await submit(device, (encoder) => {
      adam.encodeReset(encoder);
      adam.encodeStep(encoder);
    });
    expect(adam.step).to.equal(1);
    const { m } = await adam.readMoments(0);
    expectClose('m after reset + 1 step', m, [...grad].map((g) => 0.1 * g), 1e-7, 1e-5);
    adam.destroy();
  });

  it('rejects bad groups and options with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const buffer = upload(device, new Float32Array(10)), grad = upload(device, new Float32Array(10));
    expect(() => createAdam(device, [])).to.throw(AvatarInputError, /params: expected a non-empty array/);
    expect(() => createAdam(device, [{ buffer, grad, count: 11, lr: 1e-3, name: 'features' }])).to.throw(AvatarInputError, /params\[0\] \(features\)\.buffer: expected a buffer of at least 44 bytes/);
    expect(() => createAdam(device, [{ buffer, grad: buffer, count: 10, lr: 1e-3 }])).to.throw(AvatarInputError, /params\[0\]\.grad: expected a buffer other than buffer/);
    expect(() => createAdam(device, [{ buffer, grad, count: 10, lr: -1 }])).to.throw(AvatarInputError, /params\[0\]\.lr: expected a finite number in 0…Infinity, got number -1/);
    expect(() => createAdam(device, [{ buffer, grad, count: 10, lr: 1e-3 }], { beta2: 1 })).to.throw(AvatarInputError, /beta2: expected a number in \[0, 1\)/);
    expect(() => createAdam(device, [{ buffer, grad, count: 0, lr: 1e-3 }])).to.throw(AvatarInputError, /params\[0\]\.count/);
    const adam = createAdam(device, [{ buffer, grad, count: 10, lr: 1e-3 }]);
    expect(() => adam.setLearningRate(1, 1e-3)).to.throw(AvatarInputError, /index: expected an integer in 0…0, got number 1/);
    expect(() => adam.setLearningRate(0, NaN)).to.throw(AvatarInputError, /lr: expected a finite number/);
    adam.destroy();
  });
});
