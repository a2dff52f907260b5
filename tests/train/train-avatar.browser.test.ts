// trainAvatar end to end on a tiny synthetic dataset (SwiftShader-sized): the default body with a
// skirt, rendered at 48×48 over a few frames of the bundled walk; training at R = 32. Also:
// cancelling returns a playable avatar, training in a worker, and typed errors before GPU work.
import { expect } from 'chai';
import { quat } from 'gl-matrix';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { AvatarInputError } from '../../src/errors.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { trainAvatarInWorkerDetailed } from '../../src/train/train-in-worker.js';
import { trainAvatar, trainAvatarDetailed, type TrainingProgress } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { axisAngle, rollDistance, rootRotation, rotationDistance } from '../helpers/root-rotation.js';
import { frontCamera, tinyWalkClip, type Character, type RenderedFrame } from '../helpers/synthetic-character.js';

const SIZE = 48;
const FRAMES = 4;
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('trainAvatar (tiny end-to-end runs)', () => {
  let character: Character;
  let frames: RenderedFrame[];
  const camera = frontCamera(SIZE, SIZE);

  before(async () => {
    ({ character, frames } = await tinyWalkClip(await getTestDevice(), SIZE, FRAMES));
  });
  after(() => character?.avatar.body.dispose());

  it('the loss falls ≥ 5× and a perturbed root rotation is pulled back towards the truth', async () => {
    const device = await getTestDevice();
    // The root turned about the camera axis (z), alternately ±0.12 rad: an in-image rotation of the whole body.
    const perturbation = 0.12;
    const noisy = frames.map((f, i) => {
      const turn = quat.setAxisAngle(quat.create(), [0, 0, 1], i % 2 === 0 ? perturbation : -perturbation);
      const pose = Float32Array.from(f.pose);
      pose.set(axisAngle(quat.multiply(quat.create(), turn, rootRotation(f.pose))), 0);
      return { ...f, pose };
    });
    const progress: TrainingProgress[] = [];
    const t0 = performance.now();
    const result = await trainAvatarDetailed({ camera, frames: noisy }, {
      device, resolution: 32, stage1Iterations: 140, stage2Iterations: 20, progressEvery: 1, refineAfter: 0.2,
      learningRates: { network: 1e-2, features: 5e-2, pose: 1.5e-2 },
      onProgress: (p) => progress.push(p),
    });
    const seconds = (performance.now() - t0) / 1000;
    const first = progress[0]!.loss;
    const last = mean(progress.slice(-FRAMES).map((p) => p.loss));
    // The perturbed component (roll about the camera axis) and, printed, the whole rotation's
    // distance (yaw and pitch are barely visible from the front and may drift).
    const before = noisy.map((f, i) => rollDistance(f.pose, frames[i]!.pose));
    const after = result.poses.map((p, i) => rollDistance(p, frames[i]!.pose));
    const whole = result.poses.map((p, i) => rotationDistance(p, frames[i]!.pose));
    console.log(`trainAvatar: ${seconds.toFixed(1)} s, N = ${result.avatar.gaussians.count}, loss ${first.toFixed(4)} → ${last.toFixed(4)} (×${(first / last).toFixed(1)}), PSNR ${progress.at(-1)!.psnr.toFixed(1)} dB, root roll error ${mean(before).toFixed(3)} → ${mean(after).toFixed(3)} rad [${after.map((a) => a.toFixed(3)).join(', ')}], whole root rotation error → ${mean(whole).toFixed(3)} rad`);
    expect(progress.filter((p) => p.stage === 1)).to.have.length(140);
    expect(progress.filter((p) => p.stage === 2)).to.have.length(20);
    expect(result.iterations).to.deep.equal([140, 20]);
    expect(first / last).to.be.at.least(5);
    expect(mean(after)).to.be.below(0.6 * mean(before));
    // Frames the caller passed are left alone (refinement works on copies).
    expect(rotationDistance(noisy[0]!.pose, frames[0]!.pose)).to.be.closeTo(perturbation, 1e-5);
    result.avatar.body.dispose();
  });

  it('frames with times: refinement smooths a joint the images do not show (a hand\'s zigzag); without times the zigzag stays', async () => {
    const device = await getTestDevice();
    // The left hand (joint 22: the fingers, a pixel or two at 48 px) bent ±0.3 rad about x, frame by frame.
    const HAND = 22, zigzag = 0.3;
    const jittered = frames.map((f, i) => {
      const pose = Float32Array.from(f.pose);
      pose[3 * HAND] += i % 2 === 0 ? zigzag : -zigzag;
      return { ...f, pose, time: i / 30 };
    });
    /** Mean |second difference| of the hand's x component over the frames (radians). */
    const bend = (poses: Float32Array[]) => mean(poses.slice(1, -1).map((p, k) => Math.abs(poses[k]![3 * HAND]! - 2 * p[3 * HAND]! + poses[k + 2]![3 * HAND]!)));
    const train = async (data: RenderedFrame[]) => {
      const result = await trainAvatarDetailed({ camera, frames: data }, { device, resolution: 24, stage1Iterations: 48, stage2Iterations: 0, refineAfter: 0, progressEvery: 48 });
      result.avatar.body.dispose();
      return bend(result.poses);
    };
    const given = bend(jittered.map((f) => f.pose));
    const timed = await train(jittered);
    const untimed = await train(jittered.map(({ time: _time, ...f }) => f));
    console.log(`temporal prior: the hand's zigzag ${given.toFixed(3)} rad → ${timed.toFixed(3)} with times, ${untimed.toFixed(3)} without`);
    expect(timed, 'with times').to.be.below(0.5 * given);
    expect(untimed, 'without times').to.be.above(0.8 * given);
  });

  it('cancelling mid-training returns a playable avatar', async () => {
    const device = await getTestDevice();
    const controller = new AbortController();
    let seen = 0;
    const avatar = await trainAvatar({ camera, frames }, {
      device, resolution: 24, stage1Iterations: 1000, stage2Iterations: 1000, progressEvery: 1, signal: controller.signal,
      onProgress: () => {
        if (++seen === 6) controller.abort();
      },
    });
    expect(seen).to.equal(6);
    expect(avatar.metadata.training).to.deep.include({ iterations: [6, 0], cancelled: true });
    expect(avatar.network?.tensors['layer0.weight']).to.not.equal(undefined);
    // It plays: the network is evaluated for a new pose, posed and rendered.
    const posed = poseGaussians(avatar, { pose: frames[1]!.pose, trans: frames[1]!.trans });
    expect(posed.positions.every(Number.isFinite)).to.equal(true);
    expect(posed.colors.every((c) => c > 0 && c < 1)).to.equal(true);
    const rasterizer = createSplatRasterizer(device, { width: SIZE, height: SIZE, maxGaussians: avatar.gaussians.count });
    const image = await rasterizer.render({ means: posed.positions, scales: posed.scales, colors: posed.colors }, camera);
    rasterizer.destroy();
    const lit = image.filter((v) => v > 0.05).length;
    expect(lit, 'the avatar covers part of the image').to.be.above(0.1 * image.length);
    avatar.body.dispose();
  });

  it('trains in a worker while the page stays responsive', async () => {
    // Page ticks while the worker trains (between its first and last progress report).
    let longestGap = 0, last = performance.now(), ticks = 0, training = false;
    const timer = setInterval(() => {
      const now = performance.now();
      if (training) longestGap = Math.max(longestGap, now - last);
      last = now;
      if (training) ticks++;
    }, 10);
    const progress: TrainingProgress[] = [];
    let result;
    try {
      result = await trainAvatarInWorkerDetailed({ camera, frames }, {
        resolution: 24, stage1Iterations: 8, stage2Iterations: 2, progressEvery: 2,
        onProgress: (p) => {
          progress.push(p);
          training = !(p.stage === 2 && p.iteration === 2);
        },
      });
    } finally {
      clearInterval(timer);
    }
    console.log(`worker training: ${ticks} page ticks, longest gap ${longestGap.toFixed(0)} ms`);
    expect(result.iterations).to.deep.equal([8, 2]);
    expect(progress.map((p) => `${p.stage}.${p.iteration}`)).to.deep.equal(['1.2', '1.4', '1.6', '1.8', '2.2']);
    expect(result.avatar.gaussians.count).to.be.above(100);
    expect(result.avatar.network).to.not.equal(undefined);
    expect(ticks, 'the page ran timers while the worker trained').to.be.above(10);
    // Generous: the test machine's scheduler alone causes gaps of a few hundred ms under load.
    expect(longestGap).to.be.below(1000);
    result.avatar.body.dispose();
  });

  it('bad datasets and options give typed errors before any GPU work (also from the worker)', async () => {
    const device = await getTestDevice();
    let buffers = 0;
    const original = device.createBuffer;
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      buffers++;
      return original.call(device, descriptor);
    };
    const expectReject = async (promise: Promise<unknown>, pattern: RegExp) => {
      try {
        await promise;
      } catch (e) {
        expect(e).to.be.instanceOf(AvatarInputError);
        expect((e as Error).message).to.match(pattern);
        return;
      }
      expect.fail(`expected a rejection matching ${pattern}`);
    };
    try {
      const good = frames[0]!;
      await expectReject(trainAvatar({ camera, frames: [{ ...good, image: new Float32Array(10) }] }, { device }), /dataset\.frames\[0\]\.image: expected Float32Array\(6912\)/);
      await expectReject(trainAvatar({ camera, frames: [{ ...good, mask: new Float32Array(SIZE * SIZE) }] }, { device }), /dataset\.frames\[0\]\.mask: .*empty mask/);
      const nanPose = Float32Array.from(good.pose);
      nanPose[7] = NaN;
      await expectReject(trainAvatar({ camera, frames: [{ ...good, pose: nanPose }] }, { device }), /dataset\.frames\[0\]\.pose: .* got NaN at index 7/);
      await expectReject(trainAvatar({ camera, frames: [{ ...good, pose: new Float32Array(69) }] }, { device }), /dataset\.frames\[0\]\.pose: expected Float32Array\(72\)/);
      const small = new ImageData(SIZE - 1, SIZE);
      await expectReject(trainAvatar({ camera, frames: [{ ...good, image: small }] }, { device }), /dataset\.frames\[0\]\.image: expected 48×48 pixels \(the camera's size\), got 47×48/);
      await expectReject(trainAvatar({ camera: { ...camera, K: new Float32Array(4) }, frames }, { device }), /dataset\.camera\.K: expected Float32Array\(9\)/);
      await expectReject(trainAvatar({ camera, frames }, { device, resolution: 3 }), /options\.resolution: expected an integer in 8…512, got number 3/);
      await expectReject(trainAvatar({ camera, frames }, { device, learningRates: { pose: -1 } }), /options\.learningRates\.pose: expected a finite number/);
      await expectReject(trainAvatar({ camera, frames }, { device, refineReach: 0 }), /options\.refineReach: expected a finite number in 0\.0001…3\.14/);
      expect(buffers, 'GPU buffers created before the typed errors').to.equal(0);
    } finally {
      delete (device as Partial<GPUDevice>).createBuffer;
    }
    await expectReject(trainAvatarInWorkerDetailed({ camera, frames: [{ ...frames[0]!, trans: new Float32Array(2) }] }), /dataset\.frames\[0\]\.trans: expected Float32Array\(3\)/);
  });

  it('ImageData frames are read as sRGB and converted to linear', async () => {
    // A flat sRGB 230 image must train towards linear 0.791 (not 230/255 = 0.902, nor the initial 0.5).
    const device = await getTestDevice();
    const image = new ImageData(SIZE, SIZE);
    for (let p = 0; p < SIZE * SIZE; p++) image.data.set([230, 230, 230, 255], 4 * p);
    const { mask, pose, trans } = frames[0]!;
    const avatar = await trainAvatar({ camera, frames: [{ image, mask, pose, trans }] }, {
      device, resolution: 16, stage1Iterations: 60, stage2Iterations: 0, refinePoses: false,
      learningRates: { network: 2e-2, features: 5e-2 },
    });
    const posed = poseGaussians(avatar, { pose, trans });
    const rasterizer = createSplatRasterizer(device, { width: SIZE, height: SIZE, maxGaussians: avatar.gaussians.count });
    const rendered = await rasterizer.render({ means: posed.positions, scales: posed.scales, colors: posed.colors }, camera);
    rasterizer.destroy();
    const inside: number[] = [];
    for (let p = 0; p < SIZE * SIZE; p++) if (mask[p]! > 0.99) inside.push(rendered[3 * p]!, rendered[3 * p + 1]!, rendered[3 * p + 2]!);
    console.log(`flat sRGB 230 → mean rendered colour inside the mask ${mean(inside).toFixed(3)} (linear 0.791)`);
    expect(mean(inside)).to.be.closeTo(0.791, 0.05);
    avatar.body.dispose();
  });
});
