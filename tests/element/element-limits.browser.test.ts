// <gaussian-avatar> under its input limits, in real Chromium: a 149 MB BVH (200 000 frames
// declared) given as `motion` is refused from its size before it is read, with the motion before
// still playing; `limits` lowers or raises the limits, and rejects unknown keys.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { saveAvatar } from '../../src/avatar/avatar-file.js';
import { smallAvatar } from '../player/player-fixtures.js';
import { makeElement, motionUrl, recordEvents, smallAvatarUrl, until, type RecordedEvent } from './element-fixtures.js';

const MiB = 2 ** 20;

/** A BVH Blob of `MiB × mebibytes` bytes whose header declares 200 000 frames (the rows repeat one 1 MiB chunk). */
function hugeBvh(mebibytes: number): Blob {
  const rig = mixamoRig();
  const header = writeBvh(rig, [frameRow(rig)]).replace(/Frames:\s*1\s*\n[\s\S]*$/, 'Frames: 200000\nFrame Time: 0.008333\n');
  const row = frameRow(rig).join(' ') + '\n';
  const chunk = new TextEncoder().encode(row.repeat(Math.ceil(MiB / row.length)).slice(0, MiB));
  const blob = new Blob([header, ...new Array(mebibytes).fill(chunk)], { type: 'text/plain' });
  expect(blob.size).to.be.greaterThan(mebibytes * MiB);
  return blob;
}

async function expectStillPlaying(el: GaussianAvatarElement, duration: number): Promise<void> {
  expect(el.duration, 'the motion before is still the one loaded').to.equal(duration);
  const t0 = el.currentTime;
  await until(() => el.currentTime !== t0, 'time to move on');
  expect(el.paused).to.equal(false);
}

describe('<gaussian-avatar> input limits', () => {
  it('a 149 MB BVH as motion fires error (InputTooLargeError, from its size) and the motion before keeps playing', async () => {
    const el = makeElement({ src: await smallAvatarUrl(), motion: motionUrl(), autoplay: '', loop: '' });
    const events: RecordedEvent[] = recordEvents(el, ['load', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    document.body.append(el);
    try {
      await until(() => events.length > 0, 'load');
      expect(events.map((e) => e.type)).to.deep.equal(['load']);
      await until(() => el.currentTime > 0, 'playback to start');
      const duration = el.duration;
      expect(duration).to.be.greaterThan(0);

      const huge = hugeBvh(149);
      const url = URL.createObjectURL(huge);
      el.motion = url;
      await until(() => events.length > 1, 'error for the 149 MB motion');
      expect(events.map((e) => e.type)).to.deep.equal(['load', 'error']);
      const { error } = events[1].detail as { error: Error };
      expect(error).to.be.instanceOf(InputTooLargeError);
      // The size comes from Content-Length: refused before a byte of the body was read.
      expect(error.message).to.equal(
        `motion: "${url}": ${huge.size} bytes (${+(huge.size / MiB).toFixed(2)} MiB), above the limit of 67108864 bytes (64 MiB) (raise it with limits.maxMotionBytes)`,
      );
      URL.revokeObjectURL(url);
      await expectStillPlaying(el, duration);

      // The same file as a Blob: refused from Blob.size.
      let rejected: unknown;
      await el.loadMotion(huge).catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(InputTooLargeError);
      expect((rejected as Error).message).to.equal(
        `loadMotion: Blob: ${huge.size} bytes (${+(huge.size / MiB).toFixed(2)} MiB), above the limit of 67108864 bytes (64 MiB) (raise it with limits.maxMotionBytes)`,
      );
      await expectStillPlaying(el, duration);

      // Lowered frame limit: the 20-frame motion is refused on its count; raised again, it loads.
      el.limits = { maxMotionFrames: 10 };
      expect(el.limits.maxMotionFrames).to.equal(10);
      expect(el.limits.maxMotionBytes).to.equal(64 * MiB);
      rejected = undefined;
      await el.loadMotion(motionUrl()).catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(InputTooLargeError);
      expect((rejected as Error).message).to.equal('motion.frameCount: 20 frames, above the limit of 10 frames (raise it with limits.maxMotionFrames)');
      await expectStillPlaying(el, duration);
      el.limits = null;
      await el.loadMotion(motionUrl());
      expect(el.duration).to.equal(duration);

      expect(() => (el.limits = { maxMotionFrame: 5 } as never)).to.throw(AvatarInputError, /^limits\.maxMotionFrame: unknown limit/);

      // Avatar bytes go to the player with the element's limits: lowered, refused there (the avatar before stays); raised again, shown.
      const bytes = saveAvatar(await smallAvatar());
      el.limits = { maxAvatarBytes: 1000 };
      rejected = undefined;
      await el.loadAvatar(bytes.slice()).catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(InputTooLargeError);
      expect((rejected as Error).message).to.match(/above the limit of 1000 bytes .*raise it with limits\.maxAvatarBytes/);
      await expectStillPlaying(el, duration);
      el.limits = null;
      await el.loadAvatar(bytes.slice());
    } finally {
      el.remove();
    }
  });
});
