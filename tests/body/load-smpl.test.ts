import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmplModel, smplDataFromNpz } from '../../src/body/load-smpl.js';
import { createBodyModel } from '../../src/body/body-model.js';
import { readNpz } from '../../src/io/npz.js';
import { AvatarFormatError, AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import type { BodyModelData } from '../../src/body/types.js';
import { randomBodyData, randomPose, randomVector } from '../helpers/random-body.js';
import { writeNpz, type NpySpec } from '../helpers/npz-writer.js';
import { objectArrayNpy, smplNpz, smplNpzFields, type SmplNpzVariant } from '../helpers/smpl-npz.js';
import { twinForward } from './twin.js';

const V = 50;
const data = randomBodyData({ numVertices: V, numJoints: 24, numBetas: 10, seed: 7 });

function assertSameData(got: BodyModelData, want: BodyModelData, what: string): void {
  assert.equal(got.numBetas, want.numBetas, what);
  for (const key of ['vTemplate', 'shapedirs', 'posedirs', 'jRegressor', 'weights', 'parents', 'faces'] as const) {
    assert.equal(got[key].constructor, want[key].constructor, `${what}: ${key} type`);
    assert.deepEqual(Array.from(got[key]), Array.from(want[key]), `${what}: ${key}`);
  }
}

test('smplDataFromNpz: every file variant gives back the exact BodyModelData layouts', () => {
  const variants: SmplNpzVariant[] = [];
  for (const floatDtype of ['<f8', '<f4', '>f8', '>f4'])
    for (const fortranOrder of [false, true])
      for (const level of [0, 6] as const) variants.push({ floatDtype, fortranOrder, level });
  variants.push(
    { intDtype: '<u4' }, { intDtype: '<i4' }, { intDtype: '>i8', rootParent: -1 }, { intDtype: '<u8', rootParent: 2 ** 53 },
    { intDtype: '<i2', rootParent: -1 }, { extras: true }, { extras: true, level: 6, fortranOrder: true },
  );
  for (const variant of variants) {
    const arrays = readNpz(smplNpz(data, variant), { only: ['v_template', 'shapedirs', 'posedirs', 'J_regressor', 'weights', 'kintree_table', 'f'] });
    const got = smplDataFromNpz(arrays);
    assertSameData(got, data, JSON.stringify(variant));
    assert.equal(got.uvs, undefined);
    assert.equal(got.uvFaces, undefined);
  }
});

test('loadSmplModel end to end: forward equals createBodyModel on the same data and the f64 twin', async () => {
  const direct = await createBodyModel(data);
  for (const variant of [{ floatDtype: '<f8', extras: true }, { floatDtype: '<f4', fortranOrder: true, level: 6 }] as SmplNpzVariant[]) {
    const bytes = smplNpz(data, variant);
    const model = await loadSmplModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    assert.equal(model.numVertices, V);
    assert.equal(model.numJoints, 24);
    assert.equal(model.numBetas, 10);
    assert.equal(model.uvs, undefined);
    const params = { pose: randomPose(24, 3, 1.2), betas: randomVector(10, 4, 1.5), trans: [0.1, -0.2, 0.3] };
    const a = model.forward(params);
    const b = direct.forward(params);
    assert.deepEqual(Array.from(a.vertices), Array.from(b.vertices));
    assert.deepEqual(Array.from(a.transforms), Array.from(b.transforms));
    const twin = twinForward(data, { pose: params.pose, betas: params.betas, trans: params.trans });
    let maxErr = 0;
    for (let i = 0; i < a.vertices.length; i++) maxErr = Math.max(maxErr, Math.abs(a.vertices[i] - twin.vertices[i]));
    assert.ok(maxErr < 1e-4, `max vertex error vs twin ${maxErr}`);
    model.dispose();
  }
  direct.dispose();
});

test('optional fields: no posedirs → none, no shapedirs → 0 betas, numBetas keeps the leading components', async () => {
  const fields = smplNpzFields(data);
  const { posedirs: _p, shapedirs: _s, ...bare } = fields;
  const got = smplDataFromNpz(readNpz(writeNpz(bare)));
  assert.equal(got.posedirs.length, 0);
  assert.equal(got.shapedirs.length, 0);
  assert.equal(got.numBetas, 0);
  const model = await loadSmplModel(writeNpz(bare));
  assert.equal(model.forward({ pose: new Float32Array(72) }).vertices.length, V * 3);
  model.dispose();

  const four = smplDataFromNpz(readNpz(smplNpz(data)), { numBetas: 4 });
  assert.equal(four.numBetas, 4);
  for (let r = 0; r < V * 3; r++) {
    assert.deepEqual(Array.from(four.shapedirs.subarray(r * 4, r * 4 + 4)), Array.from(data.shapedirs.subarray(r * 10, r * 10 + 4)));
  }
  assert.equal(smplDataFromNpz(readNpz(smplNpz(data)), { numBetas: 99 }).numBetas, 10);
});

/** smplDataFromNpz on the standard fields with some replaced (undefined = removed). */
function withFields(edits: Record<string, NpySpec | Uint8Array | undefined>): () => BodyModelData {
  const fields: Record<string, NpySpec | Uint8Array> = { ...smplNpzFields(data) };
  for (const [k, v] of Object.entries(edits)) {
    if (v === undefined) delete fields[k];
    else fields[k] = v;
  }
  return () => smplDataFromNpz(readNpz(writeNpz(fields)));
}

const zeros = (n: number) => new Array<number>(n).fill(0);

test('bad fields → AvatarFormatError naming the field and what was expected', async () => {
  const kintree = (parents: number[]) => ({ dtype: '<i8', shape: [2, 24], values: [...parents, ...Array.from({ length: 24 }, (_, j) => j)].map(BigInt) });
  const smplParents = Array.from(data.parents);
  const cases: [string, () => unknown, RegExp][] = [
    ['no v_template', withFields({ v_template: undefined }), /^v_template: missing/],
    ['v_template V×4', withFields({ v_template: { dtype: '<f4', shape: [V, 4], values: zeros(V * 4) } }), /^v_template: expected V×3 .*got 50×4 <f4/],
    ['NaN in v_template', withFields({ v_template: { dtype: '<f4', shape: [V, 3], values: [NaN, ...zeros(V * 3 - 1)] } }), /^v_template: expected finite numbers, element 0 is NaN/],
    ['strings in weights', withFields({ weights: { dtype: '<U1', shape: [V, 24], values: zeros(V * 24).map(() => 'a') } }), /^weights: expected .*<U1/],
    ['shapedirs V×3', withFields({ shapedirs: { dtype: '<f8', shape: [V, 3], values: zeros(V * 3) } }), /^shapedirs: expected V×3×B with V=50 from v_template, got 50×3 <f8/],
    ['posedirs wrong P', withFields({ posedirs: { dtype: '<f8', shape: [V, 3, 10], values: zeros(V * 30) } }), /^posedirs: expected V×3×P = 50×3×207/],
    ['J_regressor transposed', withFields({ J_regressor: { dtype: '<f8', shape: [V, 24], values: zeros(V * 24) } }), /^J_regressor: expected a dense J×V = 24×50 .*\(transposed\?\)/],
    ['J_regressor sparse (pickled)', withFields({ J_regressor: objectArrayNpy() }), /J_regressor.*pickled.*toarray/],
    ['J_regressor 1-D', withFields({ J_regressor: { dtype: '<f8', shape: [24 * V], values: zeros(24 * V) } }), /^J_regressor: .*dense 2-D/],
    ['weights V×23', withFields({ weights: { dtype: '<f8', shape: [V, 23], values: zeros(V * 23) } }), /^weights: expected V×J = 50×24/],
    ['kintree 24×2', withFields({ kintree_table: { dtype: '<i8', shape: [24, 2], values: zeros(48).map(BigInt) } }), /^kintree_table: expected 2×J .*transposed/],
    ['root with a parent', withFields({ kintree_table: kintree([3, ...smplParents.slice(1)]) }), /^kintree_table: expected the root .* got 3/],
    ['child before parent', withFields({ kintree_table: kintree([-1, 0, 0, 5, ...smplParents.slice(4)]) }), /^kintree_table: expected the parent of joint 3 .* got 5/],
    ['row 1 not ids', withFields({ kintree_table: { dtype: '<i8', shape: [2, 24], values: [...smplParents, ...zeros(24)].map(BigInt) } }), /^kintree_table: expected row 1/],
    ['float kintree', withFields({ kintree_table: { dtype: '<f8', shape: [2, 24], values: [0.5, ...zeros(47)] } }), /^kintree_table: expected integers/],
    ['face index ≥ V', withFields({ f: { dtype: '<i4', shape: [1, 3], values: [0, 1, V] } }), /^f: expected vertex indices 0…49 .*got 50 at face 0/],
    ['negative face index', withFields({ f: { dtype: '<i4', shape: [1, 3], values: [0, -1, 2] } }), /^f: expected vertex indices/],
    ['faces F×4', withFields({ f: { dtype: '<i4', shape: [1, 4], values: [0, 1, 2, 3] } }), /^f: expected F×3/],
    ['no f', withFields({ f: undefined }), /^f: missing/],
  ];
  for (const [what, run, message] of cases) {
    assert.throws(run, (e: Error) => e instanceof AvatarFormatError && message.test(e.message), what);
  }
  // The same through loadSmplModel (a rejected promise, not a throw).
  const fields = { ...smplNpzFields(data), J_regressor: objectArrayNpy() };
  await assert.rejects(loadSmplModel(writeNpz(fields)), (e: Error) => e instanceof AvatarFormatError && /J_regressor/.test(e.message));
});

test('bad calls → typed errors', async () => {
  for (const bad of [undefined, null, 'model.npz', 12, {}, [1, 2]]) {
    await assert.rejects(loadSmplModel(bad as unknown as Uint8Array), (e: Error) => e instanceof AvatarInputError && /expected an ArrayBuffer or Uint8Array/.test(e.message), String(bad));
  }
  await assert.rejects(loadSmplModel(new Uint8Array(0)), (e: Error) => e instanceof AvatarFormatError && /0 bytes/.test(e.message));
  await assert.rejects(loadSmplModel(new ArrayBuffer(0)), AvatarFormatError);
  const bytes = smplNpz(data);
  await assert.rejects(loadSmplModel(bytes, 'uv' as never), (e: Error) => e instanceof AvatarInputError && /^options: /.test(e.message));
  await assert.rejects(loadSmplModel(bytes, { uvObj: 5 as never }), (e: Error) => e instanceof AvatarInputError && /^options\.uvObj: /.test(e.message));
  await assert.rejects(loadSmplModel(bytes, { numBetas: -1 }), (e: Error) => e instanceof AvatarInputError && /^options\.numBetas: /.test(e.message));
  assert.throws(() => smplDataFromNpz({} as never), AvatarInputError);
});

test('posedirs layouts: smplx transposed P×3V, and body-only V×3×207 on a 55-joint model (zero-padded)', async () => {
  // P×3V: row p holds component p for every (vertex, coordinate).
  const P = 207;
  const transposed = new Array<number>(P * V * 3);
  for (let r = 0; r < V * 3; r++) for (let p = 0; p < P; p++) transposed[p * V * 3 + r] = data.posedirs[r * P + p];
  const got = withFields({ posedirs: { dtype: '<f4', shape: [P, V * 3], values: transposed } })();
  assert.deepEqual(Array.from(got.posedirs), Array.from(data.posedirs));

  const x = randomBodyData({ numVertices: 12, numJoints: 55, numBetas: 2, seed: 3 });
  const Px = 9 * 54;
  const bodyOnly = new Float32Array(12 * 3 * 207);
  for (let r = 0; r < 12 * 3; r++) bodyOnly.set(x.posedirs.subarray(r * Px, r * Px + 207), r * 207);
  const fields = { ...smplNpzFields(x), posedirs: { dtype: '<f8', shape: [12, 3, 207], values: bodyOnly } };
  const padded = smplDataFromNpz(readNpz(writeNpz(fields)));
  assert.equal(padded.posedirs.length, 12 * 3 * Px);
  for (let r = 0; r < 12 * 3; r++) {
    assert.deepEqual(Array.from(padded.posedirs.subarray(r * Px, r * Px + 207)), Array.from(bodyOnly.subarray(r * 207, r * 207 + 207)));
    assert.ok(padded.posedirs.subarray(r * Px + 207, (r + 1) * Px).every((v) => v === 0));
  }
  // Same forward as a model whose posedirs are the padded ones, built directly.
  const direct = await createBodyModel({ ...x, posedirs: padded.posedirs });
  const loaded = await loadSmplModel(writeNpz(fields));
  const pose = randomPose(55, 8, 1);
  assert.deepEqual(Array.from(loaded.forward({ pose }).vertices), Array.from(direct.forward({ pose }).vertices));
  assert.equal(loaded.numJoints, 55);
  loaded.dispose();
  direct.dispose();
  // 207 is only accepted for models with more joints than SMPL's body.
  const small = randomBodyData({ numVertices: 12, numJoints: 4, numBetas: 0, seed: 2 });
  const wrong = { ...smplNpzFields(small), posedirs: { dtype: '<f8', shape: [12, 3, 207], values: new Float32Array(12 * 3 * 207) } };
  assert.throws(() => smplDataFromNpz(readNpz(writeNpz(wrong))), (e: Error) => e instanceof AvatarFormatError && /^posedirs: expected V×3×P = 12×3×27/.test(e.message));
});

// Written by numpy 2.4 (`np.savez_compressed`, zip64 local headers), shaped like smplx's SMPL files:
//   V, J, B = 6, 24, 2
//   v_template = arange(V*3).reshape(V, 3) / 8            (float64)
//   shapedirs = (arange(V*3*B).reshape(V, 3, B) % 5) / 16
//   posedirs = (arange(V*3*207).reshape(V, 3, 207) % 7) / 64
//   J_regressor = full((J, V), 1 / V)
//   weights = asfortranarray(eye(J)[arange(V) % J])       (Fortran order)
//   kintree_table = int64 [[4294967295, SMPL parents 1…23], [0…23]]
//   f = uint32 [[0,1,2],[2,3,4],[4,5,0]]
//   plus J_regressor_prior (pickled object array), bs_style ('<U3'), bs_type ('|S7')
const NUMPY_SMPL_NPZ =
  'UEsDBC0AAAAIAAAAIQDZm99F//////////8OABQAdl90ZW1wbGF0ZS5ucHkBABAAEAEAAAAAAAB5AAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG' +
  '6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GmY6CsaaOgq1CmQDLgYUcMAeQl+A0jeg9AMo/QRKv4DSb6D0Byj9CUp/gdLf' +
  'oPQPKP0LSv+B0v+gNIMDhGJ0AABQSwMELQAAAAgAAAAhADHh8OH//////////w0AFABzaGFwZWRpcnMubnB5AQAQAKABAAAAAAAAWgAAAAAAAA' +
  'Cb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpmOgrGOgpGmjoKtQrkAS4GFLDBHkIfgNIn' +
  'oPQF+5GqDgBQSwMELQAAAAgAAAAhAE3Fk5H//////////wwAFABwb3NlZGlycy5ucHkBABAA8HQAAAAAAADdAAAAAAAAAO3LsUqCURjH4c/Vqz' +
  'jbSTiDJFSE4NZmuDQ4yUceaQiV80VLdA9BN+DY2ODg5al0ltZofN7lx/uH5/P+YTqb95rX5i0uc/dY4m2I49VNTCGuNuWltOvFpizzeb9rn7t8' +
  '2rundptP/8VVCqMULofXgxTew1+u3/y6j8lPd7Vftd+1+9rDhOM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4ju' +
  'M4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juM4juO4/3dHUEsDBC0AAAAIAAAAIQCQhdDO//////////8PABQASl9yZWdyZXNz' +
  'b3IubnB5AQAQAAAFAAAAAAAAVQAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+R' +
  'pGJjoKZpo6CrUK5AKuUDA4aj9Kj9Kj9ChNbxoAUEsDBC0AAAAIAAAAIQCy5pqr//////////8LABQAd2VpZ2h0cy5ucHkBABAAAAUAAAAAAABX' +
  'AAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaZjoKRiaaOgq1CmQDLgYw+GDPQB' +
  'YY1TcKRsEoIB8AAFBLAwQtAAAACAAAACEAk1bpof//////////EQAUAGtpbnRyZWVfdGFibGUubnB5AQAQAAACAAAAAAAAjAAAAAAAAACb7Bfq' +
  'GxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOgpGJpo6CrUK5AKu/0DAgAcwQmkmKM0MpVmgNC' +
  'uUZoPS7FCaA0pz4qB5oDQvlOaD0gJQWhBKC0FpYSgtAqVFaeROLijNTcCd/GS6VwxKi0NpAFBLAwQtAAAACAAAACEAFXocWP//////////BQAU' +
  'AGYubnB5AQAQAKQAAAAAAAAAVgAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuU2qirqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+R' +
  'rGOgrGmjoKtQpkAy4GIGAEYiYoZgZiFihmZYAAAFBLAwQtAAAACAAAACEAQnopz///////////FQAUAEpfcmVncmVzc29yX3ByaW9yLm5weQEA' +
  'EAAhAQAAAAAAAMsAAAAAAAAApYu7CsJAEEWzPkGsrdOtQgjYiY2FYGEwimBhIWFNVhTyYnYjBBVsRIXtMvq7GpNP8BQD98y9mb2aLdZEO2on6n' +
  'HhAh3q9Dynhk53EUhgoROBx396wnzBcy/2LOZ57vaNnqFf9H9oXWuvt1aiOmESxKnpuBFwM0h8eWAALEXVdoC7USgkJK7EDFW9aKJqhl5ZydDS' +
  'bjgmW7zjErsWscgN91VV92Qa89+kMh/g81F+q4qc0bbt6SenONZI4va5wQuqhogZCI4PwXJnfgFQSwMELQAAAAgAAAAhAPAIlwz//////////w' +
  'wAFABic19zdHlsZS5ucHkBABAAjAAAAAAAAABLAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG4Taqyuo6Cell9UUpSYF59flJIKEndLzClO' +
  'BYoXZyQWpAL5Gpo6CrUKFAGuHAYGhiQgLgZiAFBLAwQtAAAACAAAACEAcTioEP//////////CwAUAGJzX3R5cGUubnB5AQAQAIcAAAAAAAAASQ' +
  'AAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBeE2yurqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqaOgq1ChQBrpyi/JLczDwAUEsB' +
  'Ai0DLQAAAAgAAAAhANmb30V5AAAAEAEAAA4AAAAAAAAAAAAAAIABAAAAAHZfdGVtcGxhdGUubnB5UEsBAi0DLQAAAAgAAAAhADHh8OFaAAAAoA' +
  'EAAA0AAAAAAAAAAAAAAIABuQAAAHNoYXBlZGlycy5ucHlQSwECLQMtAAAACAAAACEATcWTkd0AAADwdAAADAAAAAAAAAAAAAAAgAFSAQAAcG9z' +
  'ZWRpcnMubnB5UEsBAi0DLQAAAAgAAAAhAJCF0M5VAAAAAAUAAA8AAAAAAAAAAAAAAIABbQIAAEpfcmVncmVzc29yLm5weVBLAQItAy0AAAAIAA' +
  'AAIQCy5pqrVwAAAAAFAAALAAAAAAAAAAAAAACAAQMDAAB3ZWlnaHRzLm5weVBLAQItAy0AAAAIAAAAIQCTVumhjAAAAAACAAARAAAAAAAAAAAA' +
  'AACAAZcDAABraW50cmVlX3RhYmxlLm5weVBLAQItAy0AAAAIAAAAIQAVehxYVgAAAKQAAAAFAAAAAAAAAAAAAACAAWYEAABmLm5weVBLAQItAy' +
  '0AAAAIAAAAIQBCeinPywAAACEBAAAVAAAAAAAAAAAAAACAAfMEAABKX3JlZ3Jlc3Nvcl9wcmlvci5ucHlQSwECLQMtAAAACAAAACEA8AiXDEsA' +
  'AACMAAAADAAAAAAAAAAAAAAAgAEFBgAAYnNfc3R5bGUubnB5UEsBAi0DLQAAAAgAAAAhAHE4qBBJAAAAhwAAAAsAAAAAAAAAAAAAAIABjgYAAG' +
  'JzX3R5cGUubnB5UEsFBgAAAAAKAAoATwIAABQHAAAAAA==';

test('loads an SMPL-shaped npz written by numpy itself (pickled extras skipped)', async () => {
  const V = 6, J = 24, B = 2, P = 207;
  const got = smplDataFromNpz(readNpz(Buffer.from(NUMPY_SMPL_NPZ, 'base64'), { only: ['v_template', 'shapedirs', 'posedirs', 'J_regressor', 'weights', 'kintree_table', 'f'] }));
  const range = (n: number, fn: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.fround(fn(i)));
  assert.deepEqual(Array.from(got.vTemplate), range(V * 3, (i) => i / 8));
  assert.equal(got.numBetas, B);
  assert.deepEqual(Array.from(got.shapedirs), range(V * 3 * B, (i) => (i % 5) / 16));
  assert.deepEqual(Array.from(got.posedirs), range(V * 3 * P, (i) => (i % 7) / 64));
  assert.deepEqual(Array.from(got.jRegressor), range(J * V, () => 1 / V));
  assert.deepEqual(Array.from(got.weights), range(V * J, (i) => (Math.floor(i / J) % J === i % J ? 1 : 0)));
  assert.deepEqual(Array.from(got.parents), [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]);
  assert.deepEqual(Array.from(got.faces), [0, 1, 2, 2, 3, 4, 4, 5, 0]);
  const model = await loadSmplModel(new Uint8Array(Buffer.from(NUMPY_SMPL_NPZ, 'base64')));
  const rest = model.forward({ pose: new Float32Array(72) });
  assert.deepEqual(Array.from(rest.vertices), Array.from(got.vTemplate), 'zero pose, zero betas = the template');
  model.dispose();
});

test('input limits: a body model file above maxBodyModelBytes, or an entry above maxEntryBytes, is refused before inflating', async () => {
  const bytes = smplNpz(data);
  await assert.rejects(loadSmplModel(bytes, { limits: { maxBodyModelBytes: 1000 } }), (e: Error) =>
    e instanceof InputTooLargeError && e.message === `body model: ${bytes.length} bytes, above the limit of 1000 bytes (raise it with limits.maxBodyModelBytes)`);
  await assert.rejects(loadSmplModel(bytes, { limits: { maxEntryBytes: 1000 } }), (e: Error) =>
    e instanceof InputTooLargeError && /zip entry "\w+\.npy" declares \d+ bytes uncompressed, above the 1000-byte limit \(raise it with limits\.maxEntryBytes\)$/.test(e.message));
  await assert.rejects(loadSmplModel(bytes, { limits: { maxInflatedBytes: 1000 } }), (e: Error) =>
    e instanceof InputTooLargeError && /above the 1000-byte limit \(raise it with limits\.maxInflatedBytes\)$/.test(e.message));
  (await loadSmplModel(bytes, { limits: { maxBodyModelBytes: bytes.length } })).dispose();
});
