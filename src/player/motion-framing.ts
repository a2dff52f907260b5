/**
 * Automatic framing that follows the motion (model-viewer's `camera-target: auto`, for motions that
 * travel): the camera target rides along a smoothed track of the root's ground position, and the
 * distance frames the body's extent around that track over the whole clip, from the motion's
 * lowest point (its ground) to its highest. A walk of several metres stays in view at the size of
 * one body, not shrunk to fit the whole path; a clip whose `trans` puts the body far from the
 * origin (AMASS) is framed where it is; a motion in place frames as a fixed box.
 *
 * The track is a centred moving average of `trans` (x, z) over ±FOLLOW_HALF_WINDOW seconds, a
 * function of the motion time alone: seeking, pausing and any frame rate give the same camera.
 */
import type { BodyModel } from '../body/types.js';
import { sampleMotion } from '../motion/sample-motion.js';
import type { Motion } from '../motion/types.js';
import { DEFAULT_FOV_Y, frameBox } from '../render/orbit-camera.js';

/** Half-width of the moving average that smooths the root's path (seconds): steps and sway average out. */
export const FOLLOW_HALF_WINDOW = 0.5;
/** Times sampled over the clip for the body's extent around the track. */
const EXTENT_SAMPLES = 16;

export interface MotionFraming {
  /** The distance (metres) at which the body's extent fits an image of this aspect (width / height) and vertical field of view. */
  radius(aspect: number, fovY?: number): number;
  /** The target at motion time `seconds` (wrapped as sampleMotion wraps it when `loop`). */
  target(seconds: number, loop: boolean): [number, number, number];
}

/** Smoothed root track: per frame, the mean of trans (x, z) over the frames within ±FOLLOW_HALF_WINDOW s. */
function smoothTrack(motion: Motion): Float64Array {
  const F = motion.frameCount;
  const half = Math.max(0, Math.round(FOLLOW_HALF_WINDOW * motion.fps));
  // Prefix sums of x and z, so each window's mean costs O(1).
  const prefix = new Float64Array((F + 1) * 2);
  for (let f = 0; f < F; f++) {
    prefix[(f + 1) * 2] = prefix[f * 2] + motion.trans[f * 3];
    prefix[(f + 1) * 2 + 1] = prefix[f * 2 + 1] + motion.trans[f * 3 + 2];
  }
  const track = new Float64Array(F * 2);
  for (let f = 0; f < F; f++) {
    const lo = Math.max(0, f - half);
    const hi = Math.min(F - 1, f + half);
    const n = hi - lo + 1;
    track[f * 2] = (prefix[(hi + 1) * 2] - prefix[lo * 2]) / n;
    track[f * 2 + 1] = (prefix[(hi + 1) * 2 + 1] - prefix[lo * 2 + 1]) / n;
  }
  return track;
}

/**
 * The track at `seconds`, interpolated between frames as sampleMotion interpolates the body
 * (looping: the last frame blends into the first, so the target goes where the body goes).
 */
function trackAt(motion: Motion, track: Float64Array, seconds: number, loop: boolean): [number, number] {
  const F = motion.frameCount;
  let x = seconds * motion.fps;
  x = loop ? ((x % F) + F) % F : Math.min(Math.max(x, 0), F - 1);
  const f = Math.min(Math.floor(x), F - 1);
  const g = loop ? (f + 1) % F : Math.min(f + 1, F - 1);
  const w = x - f;
  return [track[f * 2] * (1 - w) + track[g * 2] * w, track[f * 2 + 1] * (1 - w) + track[g * 2 + 1] * w];
}

/**
 * Frames `body` (with `betas`) under `motion`: the body's vertices at EXTENT_SAMPLES times, taken
 * relative to the track in x and z (absolute in y), give one box; its centre is the target's
 * offset from the track, its bounding sphere sets the distance.
 */
export function frameMotion(body: BodyModel, betas: ArrayLike<number> | undefined, motion: Motion): MotionFraming {
  const track = smoothTrack(motion);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const samples = Math.min(EXTENT_SAMPLES, motion.frameCount);
  const last = (motion.frameCount - 1) / motion.fps;
  for (let s = 0; s < samples; s++) {
    const t = samples === 1 ? 0 : (s / (samples - 1)) * last;
    const { pose, trans } = sampleMotion(motion, t);
    const [cx, cz] = trackAt(motion, track, t, false);
    const { vertices } = body.forward({ pose, trans, betas });
    for (let i = 0; i < vertices.length; i += 3) {
      const p = [vertices[i] - cx, vertices[i + 1], vertices[i + 2] - cz];
      for (let c = 0; c < 3; c++) {
        if (p[c] < min[c]) min[c] = p[c];
        if (p[c] > max[c]) max[c] = p[c];
      }
    }
  }
  const offset = frameBox(min, max, 1).target;
  return {
    radius: (aspect, fovY = DEFAULT_FOV_Y) => frameBox(min, max, aspect, fovY).radius,
    target(seconds, loop) {
      const [x, z] = trackAt(motion, track, seconds, loop);
      return [offset[0] + x, offset[1], offset[2] + z];
    },
  };
}
