// trainAvatar's mirrorTwins: Gaussians given a twin are held to their twin's colour, scale and
// (mirrored) offset. Twins here: every Gaussian on the body's right (x < 0 in the canonical frame)
// takes the nearest one to its mirror image on the left, as if the clip had never shown the right
// side; the frames do show it, so without the term the two sides train apart (the character's
// clothes are not symmetric), with it they meet.
import { expect } from 'chai';
import { buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AvatarInputError } from '../../src/errors.js';
import { mirrorTwins } from '../../src/fit/mirror-twins.js';
import { trainAvatarDetailed } from '../../src/train/train-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { tinyWalkClip, type Character, type RenderedFrame } from '../helpers/synthetic-character.js';
import type { TrainingCamera } from '../../src/train/dataset.js';

const SIZE = 48;
const FRAMES = 4;
const RESOLUTION = 32;

describe('trainAvatar with mirror twins', () => {
  let character: Character;
  let frames: RenderedFrame[];
  let camera: TrainingCamera;

  before(async () => {
    ({ character, frames, camera } = await tinyWalkClip(await getTestDevice(), SIZE, FRAMES));
  });
  after(() => character?.avatar.body.dispose());

  /** Mean |difference| between the twinned Gaussians' trained colours and their twins'. */
  const twinColourGap = (avatar: Avatar, twins: Int32Array) => {
    const c = avatar.gaussians.colors;
    let sum = 0, n = 0;
    twins.forEach((t, i) => {
      if (t < 0) return;
      for (let k = 0; k < 3; k++) sum += Math.abs(c[3 * i + k]! - c[3 * t + k]!);
      n += 3;
    });
    return sum / n;
  };

  it('pulls the twinned side towards its twins (colours), and not without the term', async () => {
    const device = await getTestDevice();
    const body = character.avatar.body;
    const map = buildUvPositionalMap(body, { resolution: RESOLUTION });
    const left = Uint8Array.from({ length: map.count }, (_, i) => (map.positions[3 * i]! >= 0 ? 1 : 0));
    const twins = mirrorTwins(map, left, 0.05);
    const twinned = twins.filter((t) => t >= 0).length;
    expect(twinned).to.be.greaterThan(map.count / 3);
    const train = (mirror: number) => trainAvatarDetailed({ camera, frames }, {
      device, resolution: RESOLUTION, stage1Iterations: 60, stage2Iterations: 0, refinePoses: false, background: [0, 0, 0],
      mirrorTwins: twins, regularisation: { mirror },
    });
    const without = await train(0), withTerm = await train(30);
    const gapWithout = twinColourGap(without.avatar, twins), gapWith = twinColourGap(withTerm.avatar, twins);
    console.log(`${twinned} of ${map.count} Gaussians twinned: mean |c − c_twin| ${gapWithout.toFixed(4)} without the term, ${gapWith.toFixed(4)} with weight 30`);
    expect(gapWith).to.be.lessThan(0.5 * gapWithout);
    for (const r of [without, withTerm]) r.avatar.body.dispose();
  });

  it('rejects twins of the wrong type, length or index with AvatarInputError', async () => {
    const device = await getTestDevice();
    const N = buildUvPositionalMap(character.avatar.body, { resolution: RESOLUTION }).count;
    const wrong = (mirrorTwins: unknown) => trainAvatarDetailed({ camera, frames }, {
      device, resolution: RESOLUTION, stage1Iterations: 1, stage2Iterations: 0, mirrorTwins: mirrorTwins as Int32Array,
    }).then(() => { throw new Error('expected a rejection'); }, (e: Error) => e);
    const cases: [unknown, RegExp][] = [
      [[1, 2, 3], /options\.mirrorTwins: expected an Int32Array/],
      [new Int32Array(N - 1), new RegExp(`options\\.mirrorTwins: expected Int32Array\\(${N}\\)`)],
      [Int32Array.from({ length: N }, (_, i) => (i === 5 ? N : -1)), /options\.mirrorTwins\[5\]: expected −1 or another Gaussian's index/],
      [Int32Array.from({ length: N }, (_, i) => (i === 7 ? 7 : -1)), /options\.mirrorTwins\[7\]: .*got 7/],
      [Int32Array.from({ length: N }, (_, i) => (i === 2 ? -2 : -1)), /options\.mirrorTwins\[2\]/],
    ];
    for (const [value, message] of cases) {
      const error = await wrong(value);
      expect(error).to.be.instanceOf(AvatarInputError);
      expect(error.message).to.match(message);
    }
  });
});
