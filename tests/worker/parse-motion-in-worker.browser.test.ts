// parseMotionInWorker in Chromium: a real module worker parses a generated BVH into the same Motion
// as parseMotion on the page, its errors come back as the same typed classes, and aborting
// terminates it.
import { expect } from 'chai';
import { AbortError, AvatarFormatError, InputTooLargeError } from '../../src/errors.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import { parseMotionInWorker } from '../../src/worker/parse-motion-in-worker.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';

const rig = mixamoRig();
/** A BVH of `frames` frames whose joints swing with the frame index. */
function bvhBytes(frames: number): Uint8Array {
  const rows = Array.from({ length: frames }, (_, f) => frameRow(rig, { 'mixamorig:LeftArm': { Zrotation: 30 * Math.sin(f / 7) }, 'mixamorig:Hips': { Xposition: f / 100 } }));
  return new TextEncoder().encode(writeBvh(rig, rows));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** Counts the Workers started and the ones that failed to start (which would fall back to the page). */
const started = { workers: 0, failed: 0 };
const PageWorker = globalThis.Worker;
before(() => {
  globalThis.Worker = class extends PageWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      started.workers++;
      this.addEventListener('error', () => started.failed++);
    }
  };
});
after(() => {
  globalThis.Worker = PageWorker;
});

describe('parseMotionInWorker', () => {
  it('gives the same Motion as parseMotion, and leaves the caller its bytes', async () => {
    const bytes = bvhBytes(600);
    const inWorker = await parseMotionInWorker(bytes);
    const onPage = parseMotion(bytes);
    expect(bytes.length, 'the caller keeps its bytes').to.be.greaterThan(0);
    expect(inWorker.frameCount).to.equal(600);
    expect(inWorker.fps).to.equal(onPage.fps);
    expect(inWorker.source).to.equal('bvh');
    expect(Array.from(inWorker.poses)).to.deep.equal(Array.from(onPage.poses));
    expect(Array.from(inWorker.trans)).to.deep.equal(Array.from(onPage.trans));
    expect(inWorker.poses).to.be.instanceOf(Float32Array);
    expect(started, 'one worker started, none failed (no fallback to the page)').to.deep.equal({ workers: 1, failed: 0 });
  });

  it('errors come back typed: InputTooLargeError (limits cross too), AvatarFormatError', async () => {
    const tooMany = await failure(parseMotionInWorker(bvhBytes(30), { limits: { maxMotionFrames: 20 } }));
    expect(tooMany).to.be.instanceOf(InputTooLargeError);
    expect(tooMany.message).to.match(/^bvh line \d+: Frames: 30 frames, above the limit of 20 frames \(raise it with limits\.maxMotionFrames\)$/);
    const garbage = await failure(parseMotionInWorker(new TextEncoder().encode('HIERARCHY\nROOT\n')));
    expect(garbage).to.be.instanceOf(AvatarFormatError);
    expect(garbage.message).to.match(/^bvh/);
    expect(started).to.deep.equal({ workers: 3, failed: 0 });
  });

  it('aborting rejects with AbortError', async () => {
    const controller = new AbortController();
    const pending = parseMotionInWorker(bvhBytes(3000), {}, controller.signal);
    controller.abort();
    expect(await failure(pending)).to.be.instanceOf(AbortError);
  });
});
