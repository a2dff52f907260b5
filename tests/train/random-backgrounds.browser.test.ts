// Random training backgrounds keep dark clothes solid: a character dressed in near-black is
// trained on its masked frames, then drawn over white. Trained on black, nothing in the loss
// tells a dark Gaussian from a gap, so white may show through; trained on random backgrounds
// every gap costs, and the figure must stay dark where the mask says "person".
import { expect } from 'chai';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { trainAvatar } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { createCharacter, frontCamera, loadMotionFrames, renderCharacter, type RenderedFrame } from '../helpers/synthetic-character.js';

const SIZE = 48;
const DARK = 0.01; // linear: sRGB ≈ 25/255, black leggings

/** Mean linear brightness of the avatar drawn over white at each frame's pose, inside the frame's solid mask. */
async function brightnessOverWhite(device: GPUDevice, avatar: Avatar, frames: RenderedFrame[]): Promise<number> {
  const camera = frontCamera(SIZE, SIZE);
  const rasterizer = createSplatRasterizer(device, { width: SIZE, height: SIZE, maxGaussians: avatar.gaussians.count });
  let sum = 0, n = 0;
  try {
    for (const frame of frames) {
      const posed = poseGaussians(avatar, { pose: frame.pose, trans: frame.trans });
      const image = await rasterizer.render({ means: posed.positions, scales: posed.scales, colors: posed.colors, background: [1, 1, 1] }, camera);
      for (let p = 0; p < SIZE * SIZE; p++) {
        if (frame.mask[p]! < 0.99) continue;
        sum += (image[3 * p]! + image[3 * p + 1]! + image[3 * p + 2]!) / 3;
        n++;
      }
    }
  } finally {
    rasterizer.destroy();
  }
  return sum / n;
}

describe('trainAvatar: random training backgrounds', () => {
  it('a near-black character stays solid over white (default background: random)', async () => {
    const device = await getTestDevice();
    const character = await createCharacter(48, 0.03);
    character.colors.fill(DARK);
    const motion = await loadMotionFrames('walk', 4, 8);
    const frames = await renderCharacter(device, character, frontCamera(SIZE, SIZE), motion.poses, motion.trans);
    const camera = frontCamera(SIZE, SIZE);
    const options = { device, resolution: 32, stage1Iterations: 160, stage2Iterations: 0, refinePoses: false, learningRates: { network: 1e-2, features: 5e-2 } };
    const onRandom = await trainAvatar({ camera, frames }, options);
    const onBlack = await trainAvatar({ camera, frames }, { ...options, background: [0, 0, 0] });
    try {
      const random = await brightnessOverWhite(device, onRandom, frames);
      const black = await brightnessOverWhite(device, onBlack, frames);
      console.log(`near-black character over white, mean brightness inside the mask (linear; ${DARK} = solid): trained on random backgrounds ${random.toFixed(3)}, on black ${black.toFixed(3)}`);
      expect(random, 'trained on random backgrounds').to.be.below(0.03);
      expect(random, 'random backgrounds cover at least as well as black').to.be.below(black + 0.01);
    } finally {
      character.avatar.body.dispose();
      onRandom.body.dispose();
      onBlack.body.dispose();
    }
  });

  it("rejects a background that is neither 'random' nor 3 numbers in 0…1", async () => {
    const camera = frontCamera(SIZE, SIZE);
    const frame = { image: new Float32Array(3 * SIZE * SIZE), pose: new Float32Array(72), trans: new Float32Array(3) };
    let error: unknown;
    try {
      await trainAvatar({ camera, frames: [frame] }, { background: 'noise' as unknown as 'random' });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/options\.background: expected 'random' or 3 numbers in 0…1 \(linear RGB\), got string/);
  });
});
