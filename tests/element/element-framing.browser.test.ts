// <gaussian-avatar> keeps a travelling motion in view (issue 14): under a walk whose root moves
// 3 m — a JSON motion with default framing, and a BVH walk with camera-orbit="30deg 75deg 4m"
// (at 3 m a 1.7 m body just fills the 35° view: its feet touch the edge) —
// at every 0.25 s the rendered figure lies inside the element's box (touches no edge) and is at
// least a quarter of its height. camera-target="x y z" fixes the target where it says.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { saveMotion } from '../../src/motion/motion-json.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import type { CanvasPixels } from '../../src/player/player-types.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { offsetMotion, travellingWalk } from '../helpers/travelling-motions.js';
import { isForeground, nextEvent, smallAvatar } from '../player/player-fixtures.js';
import { blobUrl, makeElement, until } from './element-fixtures.js';

/** Bounding box [x0, y0, x1, y1] of the pixels that are not the green background, null for none. */
function foregroundBox(pixels: CanvasPixels): number[] | null {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      if (!isForeground(pixels, x, y)) continue;
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box[0] === Infinity ? null : box;
}

/** A Mixamo-style BVH (cm, arms down) walking 3 m along +z in 4 s: legs and arms swing, the hips bob. */
function bvhWalk(): string {
  const rig = mixamoRig({ arms: 'down' });
  const fps = 15;
  const rows: number[][] = [];
  for (let f = 0; f < 4 * fps; f++) {
    const phase = (2 * Math.PI * f) / fps; // one stride per second
    const swing = 25 * Math.sin(phase);
    rows.push(frameRow(rig, {
      'mixamorig:Hips': { Zposition: (300 * f) / (4 * fps - 1), Yposition: 97 + 2 * Math.cos(2 * phase) },
      'mixamorig:LeftUpLeg': { Xrotation: -swing },
      'mixamorig:RightUpLeg': { Xrotation: swing },
      'mixamorig:LeftLeg': { Xrotation: 20 + 20 * Math.max(0, Math.sin(phase)) },
      'mixamorig:RightLeg': { Xrotation: 20 + 20 * Math.max(0, -Math.sin(phase)) },
      'mixamorig:LeftArm': { Xrotation: swing },
      'mixamorig:RightArm': { Xrotation: -swing },
    }));
  }
  return writeBvh(rig, rows, 1 / fps);
}

async function checkFraming(attributes: Record<string, string>, what: string): Promise<void> {
  const el: GaussianAvatarElement = makeElement({ background: '#00ff00', ...attributes });
  el.avatar = await smallAvatar();
  const loaded = nextEvent(el, 'load');
  document.body.append(el);
  try {
    await loaded;
    const player = el[$player]!;
    await until(() => player.duration > 3, 'the travelling motion to reach the player');
    const { width, height } = player.state;
    for (let t = 0; t <= player.duration; t += 0.25) {
      await player.seek(t);
      const box = foregroundBox(await player.testHooks.readPixels());
      const where = `${what} at t = ${t} s: figure box ${box} in ${width}×${height}`;
      expect(box, where).to.not.equal(null);
      expect(box![0] > 0 && box![1] > 0 && box![2] < width - 1 && box![3] < height - 1, `the figure touches an edge, ${where}`).to.equal(true);
      expect(box![3] - box![1] + 1, `figure height, ${where}`).to.be.at.least(0.25 * height);
    }
  } finally {
    el.remove();
  }
}

describe('<gaussian-avatar> framing follows the motion', () => {
  it('a JSON walk travelling 3 m (AMASS-style: 2.5 m from the origin), default framing', async () => {
    const walk = parseMotion(await (await fetch(new URL('../../assets/motions/walk.json', import.meta.url))).text());
    const motion = offsetMotion(travellingWalk(walk, 3), [1.8, 0, -1.7]);
    await checkFraming({ motion: blobUrl(saveMotion(motion), 'application/json') }, 'JSON walk');
  });

  it('a BVH walk travelling 3 m with camera-orbit="30deg 75deg 4m"', async () => {
    await checkFraming({ motion: blobUrl(bvhWalk(), 'text/plain'), 'camera-orbit': '30deg 75deg 4m' }, 'BVH walk, 30deg 75deg 4m');
  });

  it('camera-target="x y z" fixes the target; auto follows again', async () => {
    const walk = parseMotion(await (await fetch(new URL('../../assets/motions/walk.json', import.meta.url))).text());
    const el = makeElement({ background: '#00ff00', motion: blobUrl(saveMotion(travellingWalk(walk, 3, 4, [0, 1])), 'application/json'), 'camera-target': '0.5m 90cm -1m' });
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      const player = el[$player]!;
      await until(() => player.duration > 3, 'the motion');
      await player.seek(3);
      await until(() => player.orbit.target[2] === -1, 'camera-target to reach the player');
      expect(player.orbit.target).to.deep.equal([0.5, 0.9, -1]);
      el.setAttribute('camera-target', 'auto');
      await player.seek(3.01);
      await until(() => player.orbit.target[2] > 1.5, `the target to follow the walk (at ${player.orbit.target})`);
    } finally {
      el.remove();
    }
  });
});
