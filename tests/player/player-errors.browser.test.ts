// Bad input to the player gives a typed error naming the field — the same class from the worker
// as from the main thread — and a failure inside the frame loop arrives as an 'error' event.
import { expect } from 'chai';
import { saveAvatar } from '../../src/avatar/avatar-file.js';
import { AvatarFormatError, AvatarInputError, GaussianAvatarError } from '../../src/errors.js';
import { createPlayer, type Player, type PlayerEventDetail, type PlayerOptions } from '../../src/player/create-player.js';
import type { Motion } from '../../src/motion/types.js';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, nextEvent, smallAvatar } from './player-fixtures.js';

async function expectRejects(promise: Promise<unknown>, Class: new (...a: never[]) => Error, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a rejection').to.be.instanceOf(Class);
  expect((caught as Error).message).to.match(message);
}

describe('createPlayer rejects bad arguments', () => {
  it('non-canvas, bad worker option', async () => {
    await expectRejects(createPlayer({} as HTMLCanvasElement), AvatarInputError, /^canvas: expected an HTMLCanvasElement/);
    await expectRejects(createPlayer(makeCanvas(), { worker: 'yes' as unknown as boolean }), AvatarInputError, /^options\.worker:/);
  });

  for (const worker of [false, true]) {
    it(`bad options give typed errors naming the field (${worker ? 'worker' : 'main thread'})`, async () => {
      const avatar = await smallAvatar();
      const good = armsDownMotion();
      const cases: [Partial<PlayerOptions>, new (...a: never[]) => Error, RegExp][] = [
        [{ motion: { ...good, poses: new Float32Array(69) } }, AvatarInputError, /^options\.motion\.poses: expected Float32Array\(frameCount×72 = 1440\)/],
        [{ motion: { ...good, fps: 0 } as Motion }, AvatarInputError, /^options\.motion\.fps:/],
        [{ avatar: new Uint8Array([1, 2, 3, 4]) }, AvatarFormatError, /avatar file|zip/i],
        [{ avatar: 42 as unknown as Uint8Array }, AvatarInputError, /^options\.avatar: expected an Avatar or the bytes/],
        [{ playbackRate: -1 }, AvatarInputError, /^options\.playbackRate:/],
        [{ background: [2, 0, 0] }, AvatarInputError, /^options\.background:/],
        [{ orbit: { theta: 0, phi: 0, radius: -2, target: [0, 0, 0] } }, AvatarInputError, /^orbit\.radius:/],
        [{ loop: 'no' as unknown as boolean }, AvatarInputError, /^options\.loop:/],
      ];
      for (const [options, Class, message] of cases) {
        // A canvas per attempt: the worker path transfers it.
        await expectRejects(createPlayer(makeCanvas(), { avatar, motion: good, autoplay: false, worker, ...options }), Class, message);
      }
    });

    it(`bad calls reject with typed errors and the player keeps playing the old avatar (${worker ? 'worker' : 'main thread'})`, async () => {
      const avatar = await smallAvatar();
      const player = await createPlayer(makeCanvas(), { avatar, motion: armsDownMotion(), worker, autoplay: false, background: BACKGROUND });
      try {
        await expectRejects(player.seek(NaN), AvatarInputError, /^time: expected a finite number/);
        await expectRejects(player.setOrbit({ radius: 0 }), AvatarInputError, /^orbit\.radius:/);
        await expectRejects(player.setOrbit({ target: [0, 1] }), AvatarInputError, /^orbit\.target:/);
        await expectRejects(player.resize(0, 10), AvatarInputError, /^width:/);
        await expectRejects(player.resize(10, 10, NaN), AvatarInputError, /^devicePixelRatio:/);
        await expectRejects(player.setPlaybackRate(Infinity), AvatarInputError, /^playbackRate:/);
        await expectRejects(player.loadMotion({} as Motion), AvatarInputError, /^motion\.fps:/);
        await expectRejects(player.loadAvatar(new Uint8Array([80, 75, 3, 4, 0, 0])), AvatarFormatError, /./);
        await expectRejects(player.loadAvatar('avatar.gavatar' as unknown as Uint8Array), AvatarInputError, /^avatar: expected an Avatar or the bytes/);
        // The setter reports through an 'error' event.
        const event = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'error', 30000);
        player.addEventListener('error', (e) => e.preventDefault(), { once: true });
        player.playbackRate = NaN;
        const error = (await event).detail.error;
        expect(error).to.be.instanceOf(AvatarInputError);
        expect(error!.message).to.match(/^playbackRate:/);
        // Still the old avatar on screen.
        const pixels = await player.testHooks.readPixels();
        expect(countForeground(pixels, [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
      } finally {
        await player.destroy();
      }
      await expectRejects(player.play(), AvatarInputError, /^player: expected a live player/);
    });
  }

  it('the worker path gets the same avatar through .gavatar bytes (loadAvatar with an Avatar object)', async () => {
    const avatar = await smallAvatar();
    const player = await createPlayer(makeCanvas(), { avatar: saveAvatar(avatar), worker: true, autoplay: false, background: BACKGROUND });
    try {
      expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);
      const changed = nextEvent(player, 'avatarchange');
      await player.loadAvatar(avatar);
      await changed;
      expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);
    } finally {
      await player.destroy();
    }
  });
});

describe('errors inside the frame loop', () => {
  it('arrive as a typed, cancelable error event and stop playback', async () => {
    const avatar = await smallAvatar();
    // Singular big-pose matrices: the avatar loads, but posing it fails on the first frame.
    const broken = { ...avatar, canonicalTransforms: new Float32Array(avatar.canonicalTransforms.length) };
    const player: Player = await createPlayer(makeCanvas(), { avatar, motion: armsDownMotion(), worker: false, autoplay: false });
    try {
      const event = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'error', 30000);
      player.addEventListener('error', (e) => e.preventDefault());
      await player.loadAvatar(broken);
      await player.play();
      const { error, state } = (await event).detail;
      expect(error).to.be.instanceOf(GaussianAvatarError);
      expect(error).to.be.instanceOf(AvatarInputError);
      expect(error!.message).to.match(/canonicalTransforms/);
      expect(state.paused).to.equal(true);
    } finally {
      await player.destroy();
    }
  });
});
