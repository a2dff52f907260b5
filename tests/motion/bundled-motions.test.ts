import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NOMINAL_SMPL_REST_JOINTS, parseMotion, SMPL_JOINT_NAMES, SMPL_PARENTS, type Motion } from '../../src/motion/index.js';
import { angleBetween, forwardKinematics, rodrigues } from './rotation-twin.js';

const load = (name: string): Motion => parseMotion(readFileSync(new URL(`../../assets/motions/${name}.json`, import.meta.url)));
const J = (name: string): number => (SMPL_JOINT_NAMES as readonly string[]).indexOf(name);

/** Largest joint rotation difference (rad) between frames a and b. */
function frameDistance(m: Motion, a: number, b: number): number {
  let worst = 0;
  for (let j = 0; j < 24; j++) worst = Math.max(worst, angleBetween(rodrigues(m.poses, a * 72 + j * 3), rodrigues(m.poses, b * 72 + j * 3)));
  return worst;
}

function jointsAt(m: Motion, f: number) {
  return forwardKinematics(m.poses.subarray(f * 72, f * 72 + 72), NOMINAL_SMPL_REST_JOINTS, SMPL_PARENTS).positions;
}

describe('bundled motions (assets/motions)', () => {
  for (const [name, frames] of [['walk', 32], ['dance', 60], ['idle', 120]] as const) {
    it(`${name}: parses, 30 fps, loops seamlessly, plausible joint angles`, () => {
      const m = load(name);
      assert.equal(m.fps, 30);
      assert.equal(m.frameCount, frames);
      let step = 0;
      let biggest = 0;
      for (let f = 0; f < frames; f++) {
        step = Math.max(step, frameDistance(m, f, (f + 1) % frames));
        for (let j = 0; j < 24; j++) biggest = Math.max(biggest, Math.hypot(...m.poses.subarray(f * 72 + j * 3, f * 72 + j * 3 + 3)));
      }
      // The wrap from the last frame to the first is no bigger a step than any other.
      const wrap = frameDistance(m, frames - 1, 0);
      assert.ok(wrap <= step + 1e-6, `wrap ${wrap} vs largest step ${step}`);
      assert.ok(step > 0.005, 'it moves');
      assert.ok(step < 0.25, `no jumps (largest step ${step} rad)`);
      assert.ok(biggest < 1.6, `joint angles stay human (${biggest} rad)`);
      // Upright: the head stays above the pelvis by most of the rest height.
      for (let f = 0; f < frames; f++) {
        const p = jointsAt(m, f);
        assert.ok(p[J('head')][1] - p[J('pelvis')][1] > 0.5, `frame ${f} upright`);
      }
    });
  }

  it('walk: the feet take turns in front, the arms hang and swing opposite', () => {
    const m = load('walk');
    const lead: number[] = [];
    const arm: number[] = [];
    for (let f = 0; f < m.frameCount; f++) {
      const p = jointsAt(m, f);
      lead.push(p[J('left_ankle')][2] - p[J('right_ankle')][2]);
      arm.push(p[J('left_wrist')][2] - p[J('left_shoulder')][2]);
      assert.ok(p[J('left_wrist')][1] < p[J('left_shoulder')][1] - 0.3, `frame ${f}: left arm hangs`);
      assert.ok(p[J('right_wrist')][1] < p[J('right_shoulder')][1] - 0.3, `frame ${f}: right arm hangs`);
    }
    // When the left foot leads, the left hand trails: strongly anti-correlated over the cycle.
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const [ml, ma] = [mean(lead), mean(arm)];
    const cov = mean(lead.map((v, i) => (v - ml) * (arm[i] - ma)));
    const corr = cov / Math.sqrt(mean(lead.map((v) => (v - ml) ** 2)) * mean(arm.map((v) => (v - ma) ** 2)));
    assert.ok(corr < -0.8, `foot/hand correlation ${corr}`);
    assert.ok(Math.max(...lead) > 0.2 && Math.min(...lead) < -0.2, `stride ${Math.min(...lead)}…${Math.max(...lead)} m`);
  });
});
