// trainAvatar end to end on a tiny synthetic dataset (SwiftShader-sized): the default body with a
// skirt, rendered at 64×64 over a few frames of the bundled walk; training at R = 32.
import { expect } from 'chai';
import { trainAvatarDetailed, type TrainingProgress } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { createCharacter, frontCamera, loadMotionFrames, renderCharacter, type Character, type RenderedFrame } from '../helpers/synthetic-character.js';

const SIZE = 64;
const FRAMES = 5;

describe('trainAvatar (tiny end-to-end run)', () => {
  let character: Character;
  let frames: RenderedFrame[];
  const camera = frontCamera(SIZE, SIZE);

  before(async () => {
    const device = await getTestDevice();
    character = await createCharacter(64, 0.03);
    const motion = await loadMotionFrames('walk', FRAMES, 6);
    frames = await renderCharacter(device, character, camera, motion.poses, motion.trans);
  });
  after(() => character?.avatar.body.dispose());

  it('the loss falls ≥ 5× and a perturbed root rotation is pulled back towards the truth', async () => {
    const device = await getTestDevice();
    const perturbation = 0.12;
    const noisy = frames.map((f, i) => {
      const pose = Float32Array.from(f.pose);
      pose[1] += i % 2 === 0 ? perturbation : -perturbation; // root rotation about y
      return { ...f, pose };
    });
    const progress: TrainingProgress[] = [];
    const t0 = performance.now();
    const result = await trainAvatarDetailed({ camera, frames: noisy }, {
      device, resolution: 32, stage1Iterations: 240, stage2Iterations: 40, progressEvery: 1, refineAfter: 0.25,
      learningRates: { network: 5e-3, features: 3e-2, pose: 1e-2 },
      onProgress: (p) => progress.push(p),
    });
    const seconds = (performance.now() - t0) / 1000;
    const first = progress[0]!.loss;
    const last = progress.slice(-FRAMES).reduce((s, p) => s + p.loss, 0) / FRAMES;
    const before = noisy.map((f, i) => Math.abs(f.pose[1]! - frames[i]!.pose[1]!));
    const after = result.poses.map((p, i) => Math.abs(p[1]! - frames[i]!.pose[1]!));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    console.log(`trainAvatar: ${seconds.toFixed(1)} s, N = ${result.avatar.gaussians.count}, loss ${first.toFixed(4)} → ${last.toFixed(4)} (×${(first / last).toFixed(1)}), PSNR ${progress.at(-1)!.psnr.toFixed(1)} dB, root error ${mean(before).toFixed(3)} → ${mean(after).toFixed(3)} rad [${after.map((a) => a.toFixed(3)).join(', ')}]`);
    expect(first / last).to.be.at.least(5);
    expect(mean(after)).to.be.below(0.6 * mean(before));
    result.avatar.body.dispose();
  });
});
