/**
 * The player's default motion when none is given: standing, arms relaxed at the sides, breathing
 * (a slow chest, shoulder and head sway). Generated here rather than read from assets/motions so
 * the player needs no file and no fetch. One cycle of 4 s at 30 fps; every curve is periodic in
 * the cycle, so it loops seamlessly.
 */
import type { Motion } from '../motion/types.js';

const FPS = 30;
const FRAMES = 120;
/** Radians below horizontal for the upper arms (as the bundled idle clip). */
const ARM_DOWN = 1.25;

/** SMPL joint numbers used here. */
const SPINE3 = 9;
const NECK = 12;
const HEAD = 15;
const LEFT_SHOULDER = 16;
const RIGHT_SHOULDER = 17;
const LEFT_ELBOW = 18;
const RIGHT_ELBOW = 19;

/** A new copy of the default idle motion (F = 120 frames at 30 fps, trans 0). */
export function idleMotion(): Motion {
  const poses = new Float32Array(FRAMES * 72);
  for (let f = 0; f < FRAMES; f++) {
    const phase = (2 * Math.PI * f) / FRAMES;
    const breath = Math.sin(phase);
    // Each joint turns about one axis only, so its axis-angle is that axis times the angle.
    const set = (joint: number, axis: 0 | 1 | 2, angle: number) => {
      poses[f * 72 + joint * 3 + axis] = angle;
    };
    set(SPINE3, 0, -0.02 * breath); // chest rises (leans back a touch) on the in-breath
    set(NECK, 0, 0.015 * breath);
    set(HEAD, 1, 0.05 * Math.sin(phase + 0.7)); // a slow look around
    set(LEFT_SHOULDER, 2, -ARM_DOWN + 0.02 * breath);
    set(RIGHT_SHOULDER, 2, ARM_DOWN - 0.02 * breath);
    set(LEFT_ELBOW, 1, -0.15);
    set(RIGHT_ELBOW, 1, 0.15);
  }
  return { fps: FPS, frameCount: FRAMES, poses, trans: new Float32Array(FRAMES * 3), source: 'json' };
}
