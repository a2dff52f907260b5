import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { checkAvatarContents } from '../../src/avatar/validate-avatar.js';
import { appearanceCoverage, coverageSummary, sideOfNormal } from '../../src/fit/appearance-coverage.js';
import { FillSource } from '../../src/fit/fill-unseen-colors.js';
import { instantAppearance, PREVIEW_SPACING_FRACTION } from '../../src/fit/instant-appearance.js';
import { texelFootprintScales } from '../../src/avatar/texel-scales.js';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { AvatarInputError } from '../../src/errors.js';
import { frontCamera, type TestCamera } from '../helpers/front-camera.js';

const W = 96, H = 128;

function flatImage(rgb: [number, number, number]): ImageData {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let p = 0; p < W * H; p++) data.set([...rgb, 255], 4 * p);
  return { width: W, height: H, data, colorSpace: 'srgb' } as ImageData;
}

/** The T-posed body turned by `yaw` about the vertical (root rotation), seen by the front camera. */
function turned(yaw: number, image: ImageData) {
  return { image, pose: Float32Array.from({ length: 72 }, (_, k) => (k === 1 ? yaw : 0)), trans: [0, 0, 0] };
}

describe('appearance coverage', () => {
  let body: BodyModel;
  const camera: TestCamera = frontCamera(W, H);
  const betas = new Float32Array(10);
  before(async () => {
    body = await createDefaultBody();
  });
  after(() => body.dispose());

  it('reports the back missing when only the front was filmed, and nothing when the person turned round', () => {
    const image = flatImage([200, 60, 60]);
    const frontOnly = instantAppearance({ body, betas, resolution: 48, camera, frames: [turned(0, image), turned(0.2, image), turned(-0.2, image)] });
    const report = frontOnly.coverage;
    assert.ok(report.sides.front.fraction > 0.7, `front ${report.sides.front.fraction}`);
    assert.equal(report.sides.back.fraction, 0);
    assert.ok(report.missing.includes('back'), `missing ${report.missing}`);
    assert.ok(!report.missing.includes('front'));
    assert.match(report.summary, /^Never seen: .*back.* turn around slowly/);
    assert.equal(report.messages.length, report.missing.length);

    const turns = [0, Math.PI / 2, Math.PI, -Math.PI / 2, Math.PI / 4, -3 * Math.PI / 4].map((yaw) => turned(yaw, image));
    const around = instantAppearance({ body, betas, resolution: 48, camera, frames: turns }).coverage;
    assert.deepEqual(around.missing, []);
    assert.equal(around.summary, '');
    for (const side of ['front', 'back', 'left', 'right'] as const) assert.ok(around.sides[side].fraction > 0.7, `${side}: ${around.sides[side].fraction}`);
  });

  it('names one missing side with its own advice', () => {
    assert.match(coverageSummary(['left']), /left side — turn slowly so that your left side faces the camera/);
    assert.equal(sideOfNormal(0, 0, 1), 'front');
    assert.equal(sideOfNormal(-0.9, 0.1, 0.3), 'right');
    assert.equal(sideOfNormal(0, -1, 0), null);
    assert.throws(() => appearanceCoverage(new Float32Array(5), new Uint8Array(2)), (e: unknown) => e instanceof AvatarInputError && /normals/.test(e.message));
  });

  it('builds a preview avatar that plays as it is: the frames’ colour where seen, every Gaussian filled', () => {
    const image = flatImage([200, 60, 60]);
    const out = instantAppearance({ body, betas, resolution: 48, camera, frames: [turned(0, image)], bodySource: 'default' });
    assert.doesNotThrow(() => checkAvatarContents(AvatarInputError, out.avatar, body.numJoints, body.numBetas));
    assert.equal(out.avatar.network, undefined);
    assert.equal(out.avatar.bodySource, 'default');
    assert.equal(out.colors, out.avatar.gaussians.colors);
    assert.ok(out.source.every((s) => s !== 255));
    // A flat frame: every colour, seen or filled, is the frame's colour (linear 0.578, 0.045, 0.045).
    for (let i = 0; i < out.avatar.gaussians.count; i++) {
      assert.ok(Math.abs(out.colors[3 * i]! - 0.578) < 0.01 && Math.abs(out.colors[3 * i + 1]! - 0.0452) < 0.005, `Gaussian ${i} (source ${out.source[i]}): ${out.colors.subarray(3 * i, 3 * i + 3)}`);
    }
    assert.ok(out.source.some((s) => s === FillSource.diffusion) && out.source.some((s) => s === FillSource.seen));
  });

  it('sizes the preview splats at spacingFraction × the texel spacing (default PREVIEW_SPACING_FRACTION), and refuses a bad one', () => {
    const frames = [turned(0, flatImage([90, 90, 90]))];
    const map = buildUvPositionalMap(body, { resolution: 32, betas });
    const byDefault = instantAppearance({ body, betas, resolution: 32, camera, frames }).avatar.gaussians.scales;
    assert.deepEqual(Array.from(byDefault), Array.from(texelFootprintScales(map, PREVIEW_SPACING_FRACTION)));
    const wider = instantAppearance({ body, betas, resolution: 32, camera, frames }, { spacingFraction: 0.7 }).avatar.gaussians.scales;
    assert.deepEqual(Array.from(wider), Array.from(texelFootprintScales(map, 0.7)));
    for (const bad of [0, -1, NaN, '0.5']) {
      assert.throws(() => instantAppearance({ body, betas, resolution: 32, camera, frames }, { spacingFraction: bad as number }), (e: unknown) => e instanceof AvatarInputError && /^options\.spacingFraction: expected a number in \(0, 4\]/.test(e.message));
    }
  });
});
