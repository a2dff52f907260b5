/**
 * Motions that travel, as real mocap does (the bundled clips walk in place): a CMU-style walk
 * whose root moves several metres, and an AMASS-style clip whose `trans` sits far from the origin.
 */
import type { Motion } from '../../src/motion/types.js';

/**
 * `walk` (a walk cycle in place) repeated `cycles` times while the root moves `metres` along
 * `direction` (x, z; normalised here) at constant speed, on top of the cycle's own sway.
 */
export function travellingWalk(walk: Motion, metres = 3, cycles = 4, direction: [number, number] = [0.5, 1]): Motion {
  const F = walk.frameCount * cycles;
  const poses = new Float32Array(F * 72);
  const trans = new Float32Array(F * 3);
  const n = Math.hypot(direction[0], direction[1]);
  for (let f = 0; f < F; f++) {
    const src = f % walk.frameCount;
    poses.set(walk.poses.subarray(src * 72, src * 72 + 72), f * 72);
    const along = (metres * f) / (F - 1);
    trans[f * 3] = walk.trans[src * 3] + (along * direction[0]) / n;
    trans[f * 3 + 1] = walk.trans[src * 3 + 1];
    trans[f * 3 + 2] = walk.trans[src * 3 + 2] + (along * direction[1]) / n;
  }
  return { fps: walk.fps, frameCount: F, poses, trans, source: 'json' };
}

/** `motion` moved by `offset` (metres), as AMASS clips recorded away from the capture volume's origin are. */
export function offsetMotion(motion: Motion, offset: [number, number, number]): Motion {
  const trans = motion.trans.map((v, i) => v + offset[i % 3]);
  return { ...motion, trans };
}
