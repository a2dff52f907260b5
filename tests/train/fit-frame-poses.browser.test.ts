// fitFramePoses: a trained avatar held fixed, frames' poses fitted to their pictures. A tiny avatar
// is trained on the tiny walk clip at its true poses; the same frames, started from poses whose
// root is rolled about the camera axis and shifted sideways, are pulled back towards the truth.
// Also typed errors for bad input, and aborting.
import { expect } from 'chai';
import { quat } from 'gl-matrix';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AbortError, AvatarInputError } from '../../src/errors.js';
import { prepareDataset, type PreparedDataset } from '../../src/train/dataset.js';
import { fitFramePoses } from '../../src/train/fit-frame-poses.js';
import { trainAvatar } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { axisAngle, rollDistance, rootRotation } from '../helpers/root-rotation.js';
import { tinyWalkClip, type Character, type RenderedFrame } from '../helpers/synthetic-character.js';

const SIZE = 48;
const FRAMES = 3;
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

async function expectReject(promise: Promise<unknown>, type: new (...args: never[]) => Error, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, `rejects with ${type.name}`).to.be.instanceOf(type);
  expect((error as Error).message).to.match(pattern);
}

describe('fitFramePoses (poses fitted with the avatar fixed)', () => {
  let character: Character;
  let frames: RenderedFrame[];
  let avatar: Avatar;
  let perturbed: PreparedDataset;
  const ROLL = 0.1, SHIFT = 0.03;

  before(async () => {
    const device = await getTestDevice();
    const clip = await tinyWalkClip(device, SIZE, FRAMES);
    ({ character, frames } = clip);
    avatar = await trainAvatar({ camera: clip.camera, frames }, {
      device, resolution: 24, stage1Iterations: 90, stage2Iterations: 10, refinePoses: false,
      learningRates: { network: 1e-2, features: 5e-2 },
    });
    // Rolled alternately ±ROLL about the camera axis and shifted SHIFT metres sideways.
    perturbed = await prepareDataset({
      camera: clip.camera,
      frames: frames.map((f, i) => {
        const pose = Float32Array.from(f.pose);
        const turn = quat.setAxisAngle(quat.create(), [0, 0, 1], i % 2 === 0 ? ROLL : -ROLL);
        pose.set(axisAngle(quat.multiply(quat.create(), turn, rootRotation(f.pose))), 0);
        const trans = Float32Array.from(f.trans);
        trans[0] += i % 2 === 0 ? SHIFT : -SHIFT;
        return { ...f, pose, trans };
      }),
    }, avatar.body.numJoints, avatar.body.numBetas);
  });
  after(() => {
    character?.avatar.body.dispose();
    avatar?.body.dispose();
  });

  it('pulls rolled and shifted poses back towards the truth, and the loss falls', async () => {
    const device = await getTestDevice();
    const t0 = performance.now();
    const result = await fitFramePoses(device, avatar, perturbed, { iterations: 40 });
    const seconds = (performance.now() - t0) / 1000;
    const rollBefore = perturbed.frames.map((f, i) => rollDistance(f.pose, frames[i]!.pose));
    const rollAfter = result.poses.map((p, i) => rollDistance(p, frames[i]!.pose));
    const shiftAfter = result.trans.map((t, i) => Math.abs(t[0]! - frames[i]!.trans[0]!));
    console.log(`fitFramePoses: ${seconds.toFixed(1)} s for ${FRAMES} frames × 40 steps; root roll error ${ROLL} → ${mean(rollAfter).toFixed(3)} rad, sideways ${SHIFT} → ${mean(shiftAfter).toFixed(4)} m; loss ${result.lossBefore.map((l) => l.toFixed(4))} → ${result.lossAfter.map((l) => l.toFixed(4))}`);
    expect(mean(rollBefore)).to.be.closeTo(ROLL, 1e-4);
    expect(mean(rollAfter)).to.be.below(0.5 * ROLL);
    expect(mean(shiftAfter)).to.be.below(0.5 * SHIFT);
    result.lossAfter.forEach((after, i) => expect(after, `frame ${i}`).to.be.below(result.lossBefore[i]!));
    // The given dataset is left alone (the fit works on copies).
    expect(rollDistance(perturbed.frames[0]!.pose, frames[0]!.pose)).to.be.closeTo(ROLL, 1e-4);
  });

  it('a frame the fit cannot improve keeps its starting pose', async () => {
    const device = await getTestDevice();
    // Zero rates: nothing moves, so the loss cannot fall and the start is returned exactly.
    const result = await fitFramePoses(device, avatar, perturbed, { iterations: 2, poseRate: 0, transRate: 0 });
    result.poses.forEach((p, i) => expect(Array.from(p)).to.deep.equal(Array.from(perturbed.frames[i]!.pose)));
    expect(result.lossAfter).to.deep.equal(result.lossBefore);
  });

  it('typed errors for an avatar without a network and bad options; AbortError when aborted', async () => {
    const device = await getTestDevice();
    const untrained = await createDefaultAvatar({ resolution: 16 });
    try {
      await expectReject(fitFramePoses(device, untrained, perturbed), AvatarInputError, /avatar: expected a trained avatar/);
    } finally {
      untrained.body.dispose();
    }
    await expectReject(fitFramePoses(device, avatar, perturbed, { iterations: -1 }), AvatarInputError, /options\.iterations: expected an integer in 0…100000, got number -1/);
    await expectReject(fitFramePoses(device, avatar, perturbed, { poseRate: NaN }), AvatarInputError, /options\.poseRate: expected a finite number in 0…1, got number NaN/);
    const controller = new AbortController();
    controller.abort();
    await expectReject(fitFramePoses(device, avatar, perturbed, { signal: controller.signal }), AbortError, /aborted/);
  });
});
