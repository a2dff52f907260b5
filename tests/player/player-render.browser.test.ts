// The player draws the avatar where the body is: foreground pixels fill the posed body's
// projected box (computed here from the body model) and none lie outside it, on the main thread
// and in the worker (pixels read back inside the thread that renders).
import { expect } from 'chai';
import { createPlayer } from '../../src/player/create-player.js';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, silhouetteBox, smallAvatar, splatMargin } from './player-fixtures.js';

for (const worker of [false, true]) {
  describe(`player renders the avatar (${worker ? 'worker' : 'main thread'})`, () => {
    it('fills the silhouette box of the posed body and nothing outside it, at two times and two orbits', async () => {
      const avatar = await smallAvatar();
      const motion = armsDownMotion();
      const player = await createPlayer(makeCanvas(), { avatar, motion, worker, autoplay: false, loop: false, background: BACKGROUND });
      try {
        expect(player.thread).to.equal(worker ? 'worker' : 'main');
        expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);
        for (const [time, theta] of [[0, 0], [1.9, 0.6]]) {
          await player.seek(time);
          if (theta !== 0) await player.setOrbit({ theta });
          const pixels = await player.testHooks.readPixels();
          expect([pixels.width, pixels.height]).to.deep.equal([96, 128]);
          const box = silhouetteBox(avatar, motion, player.state, splatMargin(avatar, player.state));
          const { inside, outside, boxArea } = countForeground(pixels, box);
          expect(outside, `foreground pixels outside the body's box ${box}`).to.equal(0);
          expect(inside / boxArea, `foreground fraction of the body's box ${box} (${inside}/${boxArea})`).to.be.greaterThan(0.15);
        }
      } finally {
        await player.destroy();
      }
    });
  });
}

describe('player with an appearance network', () => {
  it('uploads the per-frame appearance (evaluateAppearance) and draws what the base appearance draws when the network adds nothing', async () => {
    const avatar = await smallAvatar();
    // An architecture evaluateAppearance does not know plays with the base appearance, but still
    // takes the renderer's per-frame path (offsets added on the CPU, scales/colours re-uploaded).
    const networked = { ...avatar, network: { architecture: 'test-unknown', config: {}, tensors: {} } };
    const options = { motion: armsDownMotion(), worker: false, autoplay: false, background: BACKGROUND };
    const plain = await createPlayer(makeCanvas(), { ...options, avatar });
    const withNetwork = await createPlayer(makeCanvas(), { ...options, avatar: networked });
    try {
      await plain.seek(1.2);
      await withNetwork.seek(1.2);
      const a = await plain.testHooks.readPixels();
      const b = await withNetwork.testHooks.readPixels();
      expect(countForeground(b, [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
      expect(Array.from(b.data)).to.deep.equal(Array.from(a.data));
    } finally {
      await plain.destroy();
      await withNetwork.destroy();
    }
  });
});
