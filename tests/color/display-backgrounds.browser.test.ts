// Backgrounds given to the player and the element are display (sRGB) colours: the canvas shows
// exactly them, mid-tones included (a background taken as linear would show 128/255 as level 188).
import { expect } from 'chai';
import '../../components/index.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { createPlayer } from '../../src/player/create-player.js';
import type { CanvasPixels } from '../../src/player/player-types.js';
import { makeElement } from '../element/element-fixtures.js';
import { armsDownMotion, makeCanvas, nextEvent, smallAvatar } from '../player/player-fixtures.js';

/** The top-left pixel (no body there) is `levels` (8-bit sRGB), ±1 for float rounding. */
function expectCorner(pixels: CanvasPixels, levels: number[]): void {
  const got = [...pixels.data.subarray(0, 3)];
  for (let c = 0; c < 3; c++) expect(got[c], `channel ${c} of [${got}]`).to.be.closeTo(levels[c]!, 1);
}

describe('display backgrounds (sRGB)', () => {
  it('createPlayer: options.background and setBackground show as given', async () => {
    const background = [128, 51, 204].map((k) => k / 255);
    const player = await createPlayer(makeCanvas(), { avatar: await smallAvatar(), motion: armsDownMotion(), worker: false, autoplay: false, background });
    try {
      expectCorner(await player.testHooks.readPixels(), [128, 51, 204]);
      await player.setBackground([26, 153, 90].map((k) => k / 255));
      expectCorner(await player.testHooks.readPixels(), [26, 153, 90]);
    } finally {
      await player.destroy();
    }
  });

  it('<gaussian-avatar background="rgb(128, 64, 200)"> shows rgb(128, 64, 200)', async () => {
    const el = makeElement({ background: 'rgb(128, 64, 200)' });
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      expectCorner(await el[$player]!.testHooks.readPixels(), [128, 64, 200]);
    } finally {
      el.remove();
    }
  });
});
