// parseMotionInWorker where there are no Web Workers (Node): it parses on the calling thread, with
// parseMotion's results and errors, and refuses an oversized file before anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputTooLargeError } from '../../src/errors.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import { parseMotionInWorker } from '../../src/worker/parse-motion-in-worker.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';

test('without Worker: the same Motion as parseMotion; limits apply', async () => {
  assert.equal(typeof (globalThis as { Worker?: unknown }).Worker, 'undefined');
  const rig = mixamoRig();
  const bytes = new TextEncoder().encode(writeBvh(rig, [frameRow(rig), frameRow(rig, { 'mixamorig:Hips': { Xposition: 3 } })]));
  assert.deepEqual(await parseMotionInWorker(bytes), parseMotion(bytes));
  await assert.rejects(parseMotionInWorker(bytes, { limits: { maxMotionBytes: 10 } }), (e: Error) =>
    e instanceof InputTooLargeError && e.message === `motion: ${bytes.length} bytes, above the limit of 10 bytes (raise it with limits.maxMotionBytes)`);
  await assert.rejects(parseMotionInWorker('text' as never), /^AvatarInputError: data: expected an ArrayBuffer or Uint8Array, got string/);
});
