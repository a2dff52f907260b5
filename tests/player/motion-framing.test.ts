// Automatic framing that follows the motion (src/player/motion-framing.ts), checked with the real
// default body in Node: under a walk that travels 3 m, and the same walk recorded far from the
// origin (AMASS-style), the framed camera keeps the whole body inside the image at every 0.25 s,
// at least a quarter of its height; a motion in place is framed as a fixed box.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDefaultBody, type BodyModel } from '../../src/body/index.js';
import { parseMotion, sampleMotion, type Motion } from '../../src/motion/index.js';
import { frameMotion } from '../../src/player/motion-framing.js';
import { orbitCamera } from '../../src/render/orbit-camera.js';
import { offsetMotion, travellingWalk } from '../helpers/travelling-motions.js';

const WIDTH = 120;
const HEIGHT = 160;

/** Pixel box of the posed body's vertices in the camera (x0, y0, x1, y1). */
function projectedBox(body: BodyModel, motion: Motion, t: number, orbit: { theta: number; phi: number; radius: number; target: ArrayLike<number> }): number[] {
  const { pose, trans } = sampleMotion(motion, t, { loop: true });
  const { vertices } = body.forward({ pose, trans });
  const { view: v, K } = orbitCamera(orbit, WIDTH, HEIGHT);
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < vertices.length; i += 3) {
    const [x, y, z] = [vertices[i], vertices[i + 1], vertices[i + 2]];
    const cz = v[2] * x + v[6] * y + v[10] * z + v[14];
    const u = (K[0] * (v[0] * x + v[4] * y + v[8] * z + v[12])) / cz + K[6];
    const w = (K[4] * (v[1] * x + v[5] * y + v[9] * z + v[13])) / cz + K[7];
    box[0] = Math.min(box[0], u);
    box[1] = Math.min(box[1], w);
    box[2] = Math.max(box[2], u);
    box[3] = Math.max(box[3], w);
  }
  return box;
}

describe('framing that follows the motion', () => {
  let body: BodyModel;
  let walk: Motion;
  before(async () => {
    body = await createDefaultBody();
    walk = parseMotion(readFileSync(new URL('../../assets/motions/walk.json', import.meta.url)));
  });

  const cases: [string, () => Motion][] = [
    ['a walk travelling 3 m', () => travellingWalk(walk, 3)],
    ['an AMASS-style walk 2.5 m from the origin, travelling 3 m', () => offsetMotion(travellingWalk(walk, 3, 4, [-1, 0.3]), [1.8, 0.05, -1.7])],
  ];
  for (const [name, make] of cases) {
    it(`${name}: inside the image and ≥ 25 % of its height at every 0.25 s, from the front and from 30° / 75°`, () => {
      const motion = make();
      const duration = motion.frameCount / motion.fps;
      const framing = frameMotion(body, undefined, motion);
      for (const [theta, phi] of [[0, 0], [(30 * Math.PI) / 180, (15 * Math.PI) / 180]]) {
        const radius = framing.radius(WIDTH / HEIGHT);
        for (let t = 0; t <= duration; t += 0.25) {
          const box = projectedBox(body, motion, t, { theta, phi, radius, target: framing.target(t, true) });
          const where = `t = ${t} s, θ = ${theta.toFixed(2)}: box ${box.map((v) => v.toFixed(1))}`;
          assert.ok(box[0] >= 0 && box[1] >= 0 && box[2] <= WIDTH && box[3] <= HEIGHT, `outside the image at ${where}`);
          assert.ok(box[3] - box[1] >= 0.25 * HEIGHT, `smaller than a quarter of the height at ${where}`);
        }
      }
    });
  }

  it('without following (the target fixed where the clip starts) the same walk leaves the image: the test can fail', () => {
    const motion = travellingWalk(walk, 3);
    const framing = frameMotion(body, undefined, motion);
    const radius = framing.radius(WIDTH / HEIGHT);
    const start = framing.target(0, true);
    const end = motion.frameCount / motion.fps - 0.1;
    const box = projectedBox(body, motion, end, { theta: Math.PI / 2, phi: 0, radius, target: start });
    assert.ok(box[0] < 0 || box[2] > WIDTH, `box ${box}`);
  });

  it('the target follows the root smoothly and sits still for a motion in place', () => {
    const moving = travellingWalk(walk, 3, 4, [0, 1]);
    const framing = frameMotion(body, undefined, moving);
    const duration = moving.frameCount / moving.fps;
    const a = framing.target(1, false);
    const b = framing.target(duration - 1, false);
    // 3 m over the clip, the middle stretch at the walking speed.
    assert.ok(Math.abs(b[2] - a[2] - (3 * (duration - 2)) / (duration - 1 / moving.fps)) < 0.05, `${a} → ${b}`);
    assert.ok(Math.abs(b[0] - a[0]) < 0.05 && b[1] === a[1], `${a} → ${b}`);
    const still = frameMotion(body, undefined, offsetMotion(walk, [0, 0, 0]));
    const targets = [0, 0.3, 0.6, 0.9].map((t) => still.target(t, true));
    for (const t of targets) for (let c = 0; c < 3; c++) assert.ok(Math.abs(t[c] - targets[0][c]) < 0.03, `${t} vs ${targets[0]}`);
    // …and at the body's own size: the in-place walk needs no more distance than the travelling one.
    assert.ok(Math.abs(framing.radius(0.75) - still.radius(0.75)) < 0.25 * still.radius(0.75), `${framing.radius(0.75)} vs ${still.radius(0.75)}`);
  });
});
