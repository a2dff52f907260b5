// renderAvatarImage: the display-referred image of an avatar. An avatar of one flat linear colour c
// shows round(255·linearToSrgb(c)) inside the figure and exactly the given sRGB background around
// it; bad input is refused with AvatarInputError naming the field; without a device it uses its own.
import { expect } from 'chai';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { linearToSrgb8 } from '../../src/color/srgb.js';
import { AvatarInputError } from '../../src/errors.js';
import { renderAvatarImage } from '../../src/render/render-avatar-image.js';
import { frontCamera } from '../helpers/front-camera.js';
import { getTestDevice } from '../helpers/gpu-device.js';

/** The avatar with every Gaussian coloured `linear` (linear RGB). */
function flatColoured(avatar: Avatar, linear: readonly number[]): Avatar {
  const colors = new Float32Array(3 * avatar.gaussians.count);
  for (let i = 0; i < avatar.gaussians.count; i++) colors.set(linear, 3 * i);
  return { ...avatar, gaussians: { ...avatar.gaussians, colors } };
}

/** Pixels (indices) whose colour is the same on a black and a white background: fully covered by the figure. */
function coveredPixels(onBlack: ImageData, onWhite: ImageData): number[] {
  const out: number[] = [];
  for (let p = 0; p < onBlack.width * onBlack.height; p++) {
    if ([0, 1, 2].every((c) => Math.abs(onBlack.data[4 * p + c]! - onWhite.data[4 * p + c]!) <= 1)) out.push(p);
  }
  return out;
}

/** Pixels that are pure black on black and pure white on white: the figure does not touch them. */
function emptyPixels(onBlack: ImageData, onWhite: ImageData): number[] {
  const out: number[] = [];
  for (let p = 0; p < onBlack.width * onBlack.height; p++) {
    if ([0, 1, 2].every((c) => onBlack.data[4 * p + c] === 0 && onWhite.data[4 * p + c] === 255)) out.push(p);
  }
  return out;
}

describe('renderAvatarImage', () => {
  let avatar: Avatar;
  before(async () => (avatar = await createDefaultAvatar({ resolution: 48 })));
  after(() => avatar.body.dispose());

  it('shows a flat linear colour c as round(255·linearToSrgb(c)) inside the figure and the sRGB background around it', async () => {
    const device = await getTestDevice();
    const camera = frontCamera(48, 64, { distance: 3, fieldHeight: 2 });
    const pose = new Float32Array(72);
    for (const linear of [[0.6866853, 0.0129830, 0.0497066], [0.05, 0.2, 0.02]]) {
      const flat = flatColoured(avatar, linear);
      const onBlack = await renderAvatarImage(flat, { pose, camera, background: [0, 0, 0], device });
      const onWhite = await renderAvatarImage(flat, { pose, camera, background: [1, 1, 1], device });
      const background = [0.2, 0.5, 0.8];
      const image = await renderAvatarImage(flat, { pose, camera, background, device });
      expect([image.width, image.height]).to.deep.equal([48, 64]);
      const inside = coveredPixels(onBlack, onWhite);
      const outside = emptyPixels(onBlack, onWhite);
      expect(inside.length, 'pixels fully covered by the figure').to.be.greaterThan(150);
      expect(outside.length, 'pixels the figure does not touch').to.be.greaterThan(1500);
      const expected = linear.map(linearToSrgb8);
      const expectedBackground = background.map((b) => Math.round(255 * b));
      let worstInside = 0, worstOutside = 0;
      for (const p of inside) for (let c = 0; c < 3; c++) worstInside = Math.max(worstInside, Math.abs(image.data[4 * p + c]! - expected[c]!));
      for (const p of outside) for (let c = 0; c < 3; c++) worstOutside = Math.max(worstOutside, Math.abs(image.data[4 * p + c]! - expectedBackground[c]!));
      for (let p = 0; p < 48 * 64; p++) expect(image.data[4 * p + 3]).to.equal(255);
      console.log(`flat linear [${linear}] → sRGB [${expected}]: ${inside.length} covered pixels within ${worstInside}, ${outside.length} background pixels within ${worstOutside}`);
      expect(worstInside, 'covered pixels vs round(255·linearToSrgb(c)), 8-bit levels').to.be.at.most(1);
      expect(worstOutside, 'background pixels vs the sRGB background, 8-bit levels').to.be.at.most(1);
    }
  });

  it('draws the pose, translation and camera it is given', async () => {
    const device = await getTestDevice();
    const camera = frontCamera(48, 64, { distance: 3, fieldHeight: 2 });
    const flat = flatColoured(avatar, [1, 1, 1]);
    const litColumns = (image: ImageData) => {
      const xs: number[] = [];
      for (let p = 0; p < image.width * image.height; p++) if (image.data[4 * p]! > 128) xs.push(p % image.width);
      return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, span: Math.max(...xs) - Math.min(...xs) };
    };
    const armsDown = new Float32Array(72);
    armsDown[16 * 3 + 2] = -1.2; // left shoulder about z: arm down
    armsDown[17 * 3 + 2] = 1.2;
    const tPose = litColumns(await renderAvatarImage(flat, { pose: new Float32Array(72), camera, device }));
    const centred = litColumns(await renderAvatarImage(flat, { pose: armsDown, camera, device }));
    // 0.4 m along world +x is 0.4·f/3 pixels to the right in this camera (x right in both).
    const moved = litColumns(await renderAvatarImage(flat, { pose: armsDown, trans: [0.4, 0, 0], camera, device }));
    const f = camera.K[0]!;
    console.log(`lit span: T-pose ${tPose.span} px, arms down ${centred.span} px; trans 0.4 m moves the figure ${(moved.mean - centred.mean).toFixed(2)} px (expected ${((0.4 * f) / 3).toFixed(2)})`);
    expect(tPose.span, 'T-pose arms reach the image edges').to.be.greaterThan(centred.span + 10);
    expect(moved.mean - centred.mean).to.be.closeTo((0.4 * f) / 3, 1);
  });

  it('renders on its own device when none is given', async () => {
    const camera = frontCamera(24, 32, { distance: 3, fieldHeight: 2 });
    const image = await renderAvatarImage(flatColoured(avatar, [1, 1, 1]), { pose: new Float32Array(72), camera });
    let lit = 0;
    for (let p = 0; p < 24 * 32; p++) if (image.data[4 * p]! > 200) lit++;
    expect(lit, 'figure pixels').to.be.greaterThan(30);
  });

  it('refuses bad input with AvatarInputError naming the field', async () => {
    const camera = frontCamera(24, 32);
    const pose = new Float32Array(72);
    const cases: [string, () => Promise<unknown>][] = [
      ['avatar', () => renderAvatarImage(null as unknown as Avatar, { pose, camera })],
      ['options', () => renderAvatarImage(avatar, undefined as unknown as { pose: Float32Array; camera: typeof camera })],
      ['pose', () => renderAvatarImage(avatar, { pose: new Float32Array(69), camera })],
      ['pose', () => renderAvatarImage(avatar, { pose: new Float32Array(72).fill(NaN), camera })],
      ['trans', () => renderAvatarImage(avatar, { pose, trans: [0, 1], camera })],
      ['camera', () => renderAvatarImage(avatar, { pose, camera: undefined as unknown as typeof camera })],
      ['camera.width', () => renderAvatarImage(avatar, { pose, camera: { ...camera, width: 0 } })],
      ['camera.height', () => renderAvatarImage(avatar, { pose, camera: { ...camera, height: 2.5 } })],
      ['camera.K', () => renderAvatarImage(avatar, { pose, camera: { ...camera, K: new Float32Array(9) } })],
      ['camera.view', () => renderAvatarImage(avatar, { pose, camera: { ...camera, view: new Float32Array(12) } })],
      ['background', () => renderAvatarImage(avatar, { pose, camera, background: [0, 0, 2] })],
      ['background', () => renderAvatarImage(avatar, { pose, camera, background: [0, 0] })],
      ['device', () => renderAvatarImage(avatar, { pose, camera, device: {} as GPUDevice })],
    ];
    for (const [field, call] of cases) {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(error, field).to.be.instanceOf(AvatarInputError);
      expect((error as Error).message.startsWith(`${field}: expected`), (error as Error).message).to.equal(true);
    }
  });
});
