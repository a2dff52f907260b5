import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { parseMotion, saveMotion, type Motion } from '../../src/motion/index.js';
import { prng } from './rotation-twin.js';

const header = { format: 'gaussian-avatar-motion', version: 1, joints: 'smpl24' };

function frames(count: number, seed: number): number[][] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => Array.from({ length: 72 }, () => Math.fround(rand() - 0.5)));
}

function rejects(doc: unknown, field: RegExp): void {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  assert.throws(() => parseMotion(text, { format: 'json' }), (e: Error) => e instanceof AvatarFormatError && field.test(e.message), `${field} ← ${text.slice(0, 80)}`);
}

describe('JSON motion', () => {
  it('reads frames, fps, poses and trans (nested or flat)', () => {
    const poses = frames(3, 1);
    const trans = [[0, 1, 2], [0.5, 1, 2], [1, 1, 2]];
    const nested = parseMotion(JSON.stringify({ ...header, fps: 24, frameCount: 3, poses, trans }));
    assert.equal(nested.source, 'json');
    assert.equal(nested.fps, 24);
    assert.equal(nested.frameCount, 3);
    assert.deepEqual(Array.from(nested.poses), poses.flat());
    assert.deepEqual(Array.from(nested.trans), trans.flat());
    assert.equal(nested.betas, undefined);
    const flat = parseMotion(new TextEncoder().encode(JSON.stringify({ ...header, fps: 24, poses: poses.flat(), trans: trans.flat(), betas: [1, 2] })));
    assert.deepEqual(flat.poses, nested.poses);
    assert.deepEqual(flat.trans, nested.trans);
    assert.deepEqual(Array.from(flat.betas!), [1, 2]);
    // trans is optional: zeros.
    const still = parseMotion(JSON.stringify({ ...header, fps: 30, poses: poses.slice(0, 1) }));
    assert.deepEqual(Array.from(still.trans), [0, 0, 0]);
  });

  it('round-trips saveMotion → parseMotion bit for bit', () => {
    const rand = prng(7);
    const F = 5;
    const motion: Motion = {
      fps: 29.97,
      frameCount: F,
      poses: Float32Array.from({ length: F * 72 }, () => (rand() - 0.5) * 6),
      trans: Float32Array.from({ length: F * 3 }, () => (rand() - 0.5) * 1e3),
      betas: Float32Array.from({ length: 10 }, () => (rand() - 0.5) * 1e-6),
      source: 'bvh',
    };
    motion.poses[5] = 0;
    motion.poses[6] = -0;
    motion.poses[7] = 3.4028234663852886e38;
    motion.poses[8] = 1.401298464324817e-45;
    const text = saveMotion(motion);
    const back = parseMotion(text);
    assert.equal(back.fps, motion.fps);
    assert.equal(back.frameCount, F);
    assert.deepEqual(Array.from(back.poses), Array.from(motion.poses).map((v) => (Object.is(v, -0) ? 0 : v)));
    assert.deepEqual(back.trans, motion.trans);
    assert.deepEqual(back.betas, motion.betas);
    assert.equal(back.source, 'json');
    // A second save is identical text.
    assert.equal(saveMotion(back), text);
    const doc = JSON.parse(text);
    assert.equal(doc.format, 'gaussian-avatar-motion');
    assert.equal(doc.version, 1);
    assert.equal(doc.poses.length, F);
  });

  it('rejects malformed documents with AvatarFormatError naming the field', () => {
    const poses = frames(2, 3);
    rejects('{"format": ', /JSON/);
    rejects('[1, 2]', /JSON object/);
    rejects({ ...header, format: 'other', fps: 30, poses }, /motion\.format/);
    rejects({ ...header, version: 2, fps: 30, poses }, /motion\.version.*got number 2/);
    rejects({ ...header, version: '1', fps: 30, poses }, /motion\.version/);
    rejects({ ...header, joints: 'smplx55', fps: 30, poses }, /motion\.joints/);
    rejects({ ...header, fps: 0, poses }, /motion\.fps/);
    rejects({ ...header, poses }, /motion\.fps/);
    rejects({ ...header, fps: 30 }, /motion\.poses/);
    rejects({ ...header, fps: 30, poses: [] }, /motion\.poses/);
    rejects({ ...header, fps: 30, poses: [poses[0].slice(0, 69)] }, /motion\.poses\[0\]: expected 72 numbers, got Array\(69\)/);
    rejects({ ...header, fps: 30, poses: poses.flat().slice(1) }, /motion\.poses/);
    rejects({ ...header, fps: 30, frameCount: 1000000000, poses }, /motion\.frameCount: declares 1000000000 frames/);
    rejects({ ...header, fps: 30, frameCount: 2.5, poses }, /motion\.frameCount/);
    rejects({ ...header, fps: 30, poses: [[...poses[0].slice(0, 71), null], poses[1]] }, /motion\.poses\[0\]\[71\]/);
    rejects({ ...header, fps: 30, poses: [[...poses[0].slice(0, 71), '1'], poses[1]] }, /motion\.poses\[0\]\[71\]/);
    rejects({ ...header, fps: 30, poses: [[...poses[0].slice(0, 71), 1e39], poses[1]] }, /motion\.poses\[0\]\[71\]: expected a finite float32/);
    rejects({ ...header, fps: 30, poses, trans: [[0, 0, 0]] }, /motion\.trans/);
    rejects({ ...header, fps: 30, poses, trans: [[0, 0], [0, 0, 0]] }, /motion\.trans\[0\]/);
    rejects({ ...header, fps: 30, poses, betas: 'tall' }, /motion\.betas/);
    rejects({ ...header, fps: 30, poses, betas: [1, null] }, /motion\.betas\[1\]/);
  });

  it('saveMotion rejects a malformed motion with AvatarInputError', () => {
    const ok: Motion = { fps: 30, frameCount: 1, poses: new Float32Array(72), trans: new Float32Array(3), source: 'json' };
    assert.ok(saveMotion(ok).startsWith('{'));
    const bad = (m: unknown, field: RegExp): void =>
      assert.throws(() => saveMotion(m as Motion), (e: Error) => e instanceof AvatarInputError && field.test(e.message), String(field));
    bad({ ...ok, poses: new Float32Array(69) }, /motion\.poses: expected Float32Array\(frameCount×72 = 72\), got Float32Array\(69\)/);
    bad({ ...ok, poses: new Float32Array(72).fill(NaN) }, /motion\.poses: expected finite numbers, element 0 is NaN/);
    bad({ ...ok, trans: new Float32Array([0, Infinity, 0]) }, /motion\.trans/);
    bad({ ...ok, betas: [1] }, /motion\.betas/);
    bad({ ...ok, fps: -1 }, /motion\.fps/);
    bad('motion', /motion/);
  });
});
