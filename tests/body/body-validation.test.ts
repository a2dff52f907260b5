import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import type { BodyModelData } from '../../src/body/types.js';
import { randomBodyData, randomPose } from '../helpers/random-body.js';

const V = 40;

function isError(type: typeof AvatarInputError | typeof AvatarFormatError, message: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    assert.match((e as Error).message, message);
    return true;
  };
}

describe('BodyModel calls reject bad input with AvatarInputError naming the field', async () => {
  const model = await createBodyModel(randomBodyData({ numVertices: V, numBetas: 10, seed: 1 }));
  const pose = randomPose(24, 2);
  const cases: [string, () => unknown, RegExp][] = [
    ['pose too short', () => model.forward({ pose: new Float32Array(69) }), /^pose: expected 72 finite numbers.*got Float32Array\(69\)/],
    ['pose with NaN', () => model.forward({ pose: Float32Array.from(pose, (x, i) => (i === 5 ? NaN : x)) }), /^pose: .*NaN at index 5/],
    ['pose with Infinity', () => model.forward({ pose: Array.from(pose, (x, i) => (i === 0 ? Infinity : x)) }), /^pose: .*Infinity at index 0/],
    ['pose as a string', () => model.forward({ pose: 'x'.repeat(72) as unknown as number[] }), /^pose: expected 72 .*got string/],
    ['pose as a plain object', () => model.forward({ pose: { length: 72 } as unknown as number[] }), /^pose: expected 72 .*got Object/],
    ['pose with a string element', () => model.forward({ pose: [...Array(71).fill(0), '1'] as unknown as number[] }), /^pose: .*at index 71/],
    ['pose missing', () => model.forward({} as never), /^pose: expected 72 .*got undefined/],
    ['params null', () => model.forward(null as never), /^params: expected \{ pose, betas\?, trans\? \}/],
    ['betas longer than numBetas', () => model.forward({ pose, betas: new Float32Array(11) }), /^betas: expected at most 10 finite numbers, got Float32Array\(11\)/],
    ['betas with NaN', () => model.forward({ pose, betas: [0, NaN] }), /^betas: .*NaN at index 1/],
    ['trans of length 2', () => model.forward({ pose, trans: [0, 0] }), /^trans: expected 3 finite numbers, got Array\(2\)/],
    ['trans as a string', () => model.forward({ pose, trans: 'abc' as unknown as number[] }), /^trans: expected 3 .*got string/],
    ['gradVertices wrong length', () => model.backward({ pose }, new Float32Array(V * 3 - 1)), /^gradVertices: expected 120 finite numbers \(V×3\), got Float32Array\(119\)/],
    ['gradVertices with NaN', () => model.backward({ pose }, new Float32Array(V * 3).fill(NaN)), /^gradVertices: .*NaN at index 0/],
    ['gradTransforms wrong length', () => model.backwardTransforms({ pose }, new Float32Array(24 * 12)), /^gradTransforms: expected 384 finite numbers .*got Float32Array\(288\)/],
    ['bad params in backward', () => model.backward({ pose: [1, 2, 3] }, new Float32Array(V * 3)), /^pose: expected 72/],
  ];
  for (const [name, call, message] of cases) it(name, () => assert.throws(call, isError(AvatarInputError, message)));

  it('use after dispose', async () => {
    const m = await createBodyModel(randomBodyData({ numVertices: 10, seed: 3 }));
    m.dispose();
    m.dispose(); // idempotent
    assert.throws(() => m.forward({ pose }), isError(AvatarInputError, /dispose/));
  });
});

describe('createBodyModel rejects malformed data with AvatarFormatError naming the field', () => {
  const good = () => randomBodyData({ numVertices: V, numBetas: 10, seed: 4 });
  const cases: [string, (d: BodyModelData) => unknown, RegExp][] = [
    ['weights of the wrong length', (d) => (d.weights = new Float32Array(V * 23)), /^weights: expected V×J = 40×24 float32, got 920 values/],
    ['weights as Float64Array', (d) => (d.weights = new Float64Array(V * 24) as never), /^weights: expected V×J = 40×24 float32 \(Float32Array\), got Float64Array\(960\)/],
    ['parents not topologically ordered', (d) => (d.parents[5] = 7), /^parents: expected topological order .*parents\[5\] = 7/],
    ['root parent not −1', (d) => (d.parents[0] = 0), /^parents: expected −1 for the root/],
    ['face index ≥ V', (d) => (d.faces[7] = V), /^faces: expected vertex indices < V = 40, got 40 at index 7/],
    ['faces not F×3', (d) => (d.faces = new Uint32Array(4)), /^faces: expected F×3 uint32, got 4 values/],
    ['vTemplate not V×3', (d) => (d.vTemplate = new Float32Array(10)), /^vTemplate: expected V×3/],
    ['shapedirs not matching numBetas', (d) => (d.numBetas = 9), /^shapedirs: expected V×3×B = 40×3×9 float32, got 1200 values/],
    ['numBetas not an integer', (d) => (d.numBetas = 2.5), /^numBetas: expected an integer ≥ 0/],
    ['posedirs of the wrong length', (d) => (d.posedirs = new Float32Array(100)), /^posedirs: expected V×3×P = 40×3×207 float32 \(or empty\), got 100 values/],
    ['jRegressor of the wrong length', (d) => (d.jRegressor = new Float32Array(V * 24 + 1)), /^jRegressor: expected J×V = 24×40 float32, got 961 values/],
    ['NaN in vTemplate', (d) => (d.vTemplate[4] = NaN), /^vTemplate: expected finite numbers, got NaN at index 4/],
    ['Infinity in posedirs', (d) => (d.posedirs[9] = -Infinity), /^posedirs: expected finite numbers, got -Infinity at index 9/],
    ['uvFaces without uvs', (d) => (d.uvFaces = new Uint32Array(d.faces.length)), /^uvs: expected T×2 float32/],
    ['uvFaces index ≥ T', (d) => { d.uvs = new Float32Array(8); d.uvFaces = new Uint32Array(d.faces.length).fill(4); }, /^uvFaces: expected uv indices < T = 4, got 4 at index 0/],
    ['missing field', (d) => delete (d as Partial<BodyModelData>).jRegressor, /^jRegressor: expected .*got undefined/],
  ];
  for (const [name, corrupt, message] of cases) {
    it(name, async () => {
      const data = good();
      corrupt(data);
      await assert.rejects(createBodyModel(data), isError(AvatarFormatError, message));
    });
  }
  it('data not an object', async () => {
    await assert.rejects(createBodyModel(null as never), isError(AvatarFormatError, /^data: expected a BodyModelData object, got null/));
  });
  it('the uncorrupted data is accepted (the cases above fail for their own reason)', async () => {
    const m = await createBodyModel(good());
    assert.equal(m.numJoints, 24);
    m.dispose();
  });
});
