// parseMotion under the input limits (src/io/input-limits.ts): the file's size is checked before it
// is decoded, each format's frame count before its frames are allocated, and `options.limits`
// raises both. Inputs are generated here (a BVH header claiming 200 000 frames, a 149 MB buffer).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import { parseMotion, saveMotion } from '../../src/motion/index.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { writeNpz } from '../helpers/npz-writer.js';

const MiB = 2 ** 20;
const rig = mixamoRig();
const threeFrames = writeBvh(rig, [frameRow(rig), frameRow(rig), frameRow(rig)]);

function tooLarge(run: () => unknown, message: string | RegExp): void {
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof InputTooLargeError, `expected InputTooLargeError, got ${e.constructor.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('parseMotion: input limits', () => {
  it('a 149 MB file is refused on its size, before it is decoded', () => {
    const file = new Uint8Array(149 * MiB);
    file.set(new TextEncoder().encode('HIERARCHY\n'));
    tooLarge(
      () => parseMotion(file),
      'motion: 156237824 bytes (149 MiB), above the limit of 67108864 bytes (64 MiB) (raise it with limits.maxMotionBytes)',
    );
    tooLarge(() => parseMotion(threeFrames, { limits: { maxMotionBytes: 100 } }), /^motion: \d+ characters, above the limit of 100 characters \(raise it with limits\.maxMotionBytes\)$/);
  });

  it('a BVH whose Frames: claims 200 000 frames is refused on the count, before the rows are read', () => {
    const claims = threeFrames.replace(/Frames:\s*3/, 'Frames: 200000');
    assert.notEqual(claims, threeFrames);
    tooLarge(() => parseMotion(claims), /^bvh line \d+: Frames: 200000 frames, above the limit of 100000 frames \(raise it with limits\.maxMotionFrames\)$/);
    // Raised, the count is accepted and the missing rows are what is wrong.
    assert.throws(() => parseMotion(claims, { limits: { maxMotionFrames: 200_000 } }), (e: Error) => !(e instanceof InputTooLargeError) && /declares \d+ values, found \d+/.test(e.message));
  });

  it('each format: frames above maxMotionFrames refused, exactly at it accepted', () => {
    const npz = writeNpz({
      poses: { dtype: '<f4', shape: [3, 72], values: new Float32Array(216) },
      mocap_framerate: { dtype: '<f8', shape: [], values: [30] },
    });
    const split = writeNpz({
      root_orient: { dtype: '<f4', shape: [3, 3], values: new Float32Array(9) },
      pose_body: { dtype: '<f4', shape: [3, 63], values: new Float32Array(189) },
      mocap_frame_rate: { dtype: '<f8', shape: [], values: [30] },
    });
    const json = saveMotion({ fps: 30, frameCount: 3, poses: new Float32Array(216), trans: new Float32Array(9), source: 'json' });
    const limits = { maxMotionFrames: 2 };
    tooLarge(() => parseMotion(npz, { limits }), 'motion.poses: 3 frames, above the limit of 2 frames (raise it with limits.maxMotionFrames)');
    tooLarge(() => parseMotion(split, { limits }), 'motion.root_orient: 3 frames, above the limit of 2 frames (raise it with limits.maxMotionFrames)');
    tooLarge(() => parseMotion(json, { limits }), 'motion.frameCount: 3 frames, above the limit of 2 frames (raise it with limits.maxMotionFrames)');
    tooLarge(() => parseMotion(threeFrames, { limits }), /Frames: 3 frames, above the limit of 2 frames/);
    for (const file of [npz, split, json, threeFrames]) assert.equal(parseMotion(file, { limits: { maxMotionFrames: 3 } }).frameCount, 3);
  });

  it('an npz entry above maxEntryBytes is refused before inflating', () => {
    const npz = writeNpz({ poses: { dtype: '<f4', shape: [3, 72], values: new Float32Array(216) }, mocap_framerate: { dtype: '<f8', shape: [], values: [30] } }, 6);
    tooLarge(() => parseMotion(npz, { limits: { maxEntryBytes: 500 } }), /^npz field 'poses': zip entry "poses\.npy" declares \d+ bytes uncompressed, above the 500-byte limit \(raise it with limits\.maxEntryBytes\)$/);
  });

  it('bad limits: AvatarInputError naming the key', () => {
    assert.throws(() => parseMotion(threeFrames, { limits: { maxFrames: 5 } as never }), (e: Error) => e instanceof AvatarInputError && /^options\.limits\.maxFrames: unknown limit/.test(e.message));
    assert.throws(() => parseMotion(threeFrames, { limits: { maxMotionFrames: NaN } }), (e: Error) => e instanceof AvatarInputError && /^options\.limits\.maxMotionFrames: expected a number ≥ 0/.test(e.message));
    assert.throws(() => parseMotion(threeFrames, { limits: 5 as never }), (e: Error) => e instanceof AvatarInputError && /^options\.limits: expected an object/.test(e.message));
  });
});
