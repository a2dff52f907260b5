// datasetFromFit: usable frames + a body fit → the trainer's dataset. Checked against the
// trainer's own validation (prepareDataset accepts it), per-frame slicing of poses / trans,
// masks scaled to 0…1, frames with an empty mask left out when others have one, typed errors.
import { expect } from 'chai';
import { datasetFromFit, maskToUnit } from '../../src/fit/dataset-from-fit.js';
import type { BodyFit } from '../../src/fit/types.js';
import { prepareDataset } from '../../src/train/dataset.js';
import { AvatarInputError } from '../../src/errors.js';

const W = 8, H = 6, F = 3;

function fakeFit(): BodyFit {
  const poses = new Float32Array(F * 72).map((_, k) => Math.sin(k) * 0.3);
  const trans = new Float32Array(F * 3).map((_, k) => 0.1 * k);
  const f = 10;
  return {
    betas: new Float32Array(10).map((_, k) => 0.01 * k), poses, trans,
    camera: { width: W, height: H, K: new Float32Array([f, 0, 0, 0, f, 0, W / 2, H / 2, 1]), view: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) },
    perFrameError: new Float32Array(F), iterations: 1,
  };
}

function image(seed: number): ImageData {
  const img = new ImageData(W, H);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37 + seed * 11) % 256;
  return img;
}

function mask(value: number): Uint8Array {
  const m = new Uint8Array(W * H);
  for (let p = 0; p < m.length; p++) m[p] = (p % 3) * value;
  return m;
}

describe('datasetFromFit', () => {
  it('slices poses and trans per frame, scales masks to 0…1, and passes the trainer\'s validation', async () => {
    const fit = fakeFit();
    const frames = [0, 1, 2].map((i) => ({ image: image(i), mask: mask(100) }));
    const dataset = datasetFromFit(frames, fit);
    expect(dataset.frames.length).to.equal(F);
    dataset.frames.forEach((frame, i) => {
      expect(Array.from(frame.pose)).to.deep.equal(Array.from(fit.poses.subarray(i * 72, (i + 1) * 72)));
      expect(Array.from(frame.trans)).to.deep.equal(Array.from(fit.trans.subarray(i * 3, (i + 1) * 3)));
      expect(frame.image).to.equal(frames[i]!.image);
      const m = frame.mask as Float32Array;
      for (let p = 0; p < m.length; p++) expect(m[p]).to.be.closeTo(((p % 3) * 100) / 255, 1e-7);
    });
    expect(dataset.frames.every((f) => f.time === undefined), 'no timestamps given, no times').to.equal(true);
    expect(datasetFromFit(frames.map((f, i) => ({ ...f, timestamp: 0.2 * i })), fit).frames.map((f) => f.time)).to.deep.equal([0, 0.2, 0.4]);
    expect(Array.from(dataset.betas!)).to.deep.equal(Array.from(fit.betas));
    expect(Array.from(dataset.camera!.K)).to.deep.equal(Array.from(fit.camera.K));
    // Copies, not views: the fit can be changed afterwards without touching the dataset.
    fit.poses[0] = 9;
    expect(dataset.frames[0]!.pose[0]).to.not.equal(9);
    const prepared = await prepareDataset(dataset, 24, 10);
    expect([prepared.width, prepared.height, prepared.frames.length]).to.deep.equal([W, H, F]);
  });

  it('leaves out frames whose mask is empty when others have one; keeps all when none has one', () => {
    const fit = fakeFit();
    const some = datasetFromFit([{ image: image(0), mask: mask(100) }, { image: image(1), mask: new Uint8Array(W * H) }, { image: image(2), mask: mask(50) }], fit);
    expect(some.frames.map((f) => f.image)).to.have.length(2);
    expect(Array.from(some.frames[1]!.trans)).to.deep.equal(Array.from(fit.trans.subarray(6, 9)));
    expect(some.sourceFrames).to.deep.equal([0, 2]);
    const none = datasetFromFit([0, 1, 2].map((i) => ({ image: image(i) })), fit);
    expect(none.frames.length).to.equal(3);
    expect(none.sourceFrames).to.deep.equal([0, 1, 2]);
    // Frames not to train on (held out) are left out too, and the rest keep their poses.
    const heldOut = datasetFromFit([0, 1, 2].map((i) => ({ image: image(i), mask: mask(60) })), fit, undefined, (i) => i !== 1);
    expect(heldOut.sourceFrames).to.deep.equal([0, 2]);
    expect(Array.from(heldOut.frames[1]!.pose)).to.deep.equal(Array.from(fit.poses.subarray(2 * 72, 3 * 72)));
    expect(() => datasetFromFit([0, 1, 2].map((i) => ({ image: image(i) })), fit, undefined, () => false)).to.throw(AvatarInputError, /^frames: expected at least one frame to train on/);
    expect(none.frames.every((f) => f.mask === undefined)).to.equal(true);
    expect(maskToUnit(new Uint8Array(4))).to.equal(null);
  });

  it('a frame count or image size that disagrees with the fit gives AvatarInputError naming the field', () => {
    const fit = fakeFit();
    expect(() => datasetFromFit([{ image: image(0) }], fit)).to.throw(AvatarInputError, /^frames: expected one frame per fitted pose \(3\)/);
    expect(() => datasetFromFit([{ image: image(0) }, { image: new ImageData(4, 4) }, { image: image(2) }], fit))
      .to.throw(AvatarInputError, /^frames\[1\]\.image: expected 8×6 pixels \(the fit camera's size\), got 4×4/);
    expect(() => datasetFromFit([{ image: image(0) }, { image: image(1), mask: new Uint8Array(3) }, { image: image(2) }], fit))
      .to.throw(AvatarInputError, /^frames\[1\]\.mask: expected Uint8Array\(48\)/);
  });
});
