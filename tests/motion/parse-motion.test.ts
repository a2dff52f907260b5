import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { parseMotion, saveMotion } from '../../src/motion/index.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { writeNpz } from '../helpers/npz-writer.js';

const rig = mixamoRig();
const BVH = writeBvh(rig, [frameRow(rig), frameRow(rig)]);
const JSON_TEXT = saveMotion({ fps: 30, frameCount: 1, poses: new Float32Array(72).fill(0.25), trans: new Float32Array(3), source: 'json' });
const NPZ = writeNpz({
  poses: { dtype: '<f8', shape: [3, 156], values: new Float64Array(468) },
  trans: { dtype: '<f8', shape: [3, 3], values: new Float64Array(9) },
  mocap_framerate: { dtype: '<f8', shape: [], values: [60] },
});
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('parseMotion', () => {
  it('detects the format from the content, for bytes, ArrayBuffers and strings', () => {
    assert.equal(parseMotion(NPZ).source, 'amass-npz');
    assert.equal(parseMotion(NPZ.slice().buffer).source, 'amass-npz');
    assert.equal(parseMotion(BVH).source, 'bvh');
    assert.equal(parseMotion(bytes(BVH)).source, 'bvh');
    assert.equal(parseMotion(bytes('\uFEFF  \n' + BVH)).source, 'bvh');
    assert.equal(parseMotion(JSON_TEXT).source, 'json');
    assert.equal(parseMotion(bytes('\uFEFF' + JSON_TEXT).buffer as ArrayBuffer).source, 'json');
    assert.equal(parseMotion(JSON_TEXT).poses[5], 0.25);
    assert.equal(parseMotion(NPZ).frameCount, 3);
  });

  it('follows options.format over detection', () => {
    assert.equal(parseMotion(JSON_TEXT, { format: 'json' }).source, 'json');
    assert.throws(() => parseMotion(JSON_TEXT, { format: 'bvh' }), AvatarFormatError);
    assert.throws(() => parseMotion(BVH, { format: 'json' }), AvatarFormatError);
    assert.throws(() => parseMotion(bytes(BVH), { format: 'npz' }), AvatarFormatError);
  });

  it('rejects unrecognised or empty files with AvatarFormatError', () => {
    assert.throws(() => parseMotion('hello'), (e: Error) => e instanceof AvatarFormatError && /unrecognised format/.test(e.message));
    assert.throws(() => parseMotion(new Uint8Array([1, 2, 3])), (e: Error) => e instanceof AvatarFormatError && /unrecognised/.test(e.message));
    assert.throws(() => parseMotion(''), (e: Error) => e instanceof AvatarFormatError && /0 bytes/.test(e.message));
    assert.throws(() => parseMotion(new ArrayBuffer(0)), (e: Error) => e instanceof AvatarFormatError && /0 bytes/.test(e.message));
  });

  it('rejects wrong argument types with AvatarInputError naming the argument', () => {
    const bad = (fn: () => unknown, field: RegExp): void =>
      assert.throws(fn, (e: Error) => e instanceof AvatarInputError && field.test(e.message), String(field));
    bad(() => parseMotion(42 as never), /^data: expected an ArrayBuffer, Uint8Array or string, got number 42/);
    bad(() => parseMotion(null as never), /^data:.*got null/);
    bad(() => parseMotion({ poses: [] } as never), /^data:/);
    bad(() => parseMotion(new Float32Array(4) as never), /^data:.*Float32Array\(4\)/);
    bad(() => parseMotion(new TextDecoder('latin1').decode(NPZ), { format: 'npz' }), /npz motion must be given as bytes/);
    bad(() => parseMotion(JSON_TEXT, 'json' as never), /^options:/);
    bad(() => parseMotion(JSON_TEXT, { format: 'fbx' as never }), /options\.format/);
    bad(() => parseMotion(NPZ, { fps: NaN }), /options\.fps/);
    bad(() => parseMotion(NPZ, { hands: 'open' as never }), /options\.hands/);
    bad(() => parseMotion(NPZ, { pelvis: [0, 0] }), /options\.pelvis: expected 3 finite numbers, got Array\(2\)/);
    bad(() => parseMotion(BVH, { restJoints: new Float32Array(72).fill(NaN) }), /options\.restJoints.*element 0/);
  });
});
