// A-pose → SMPL T-pose rest: one rigid transform per game-engine bone, blended per vertex with
// the rig's own weights (linear blend skinning), in the mesh's frame (y up, facing +z, left = +x).
import { apply, compose, identity, rotateAbout, rotationBetween, sub } from './linalg.mjs';

const FINGERS = ['thumb', 'index', 'middle', 'ring', 'pinky'];

/**
 * Per-bone transforms (rest A-pose → T-pose). `heads[bone]` = joint position of the bone's head.
 * Arms: upper arm about the shoulder until shoulder→elbow is ±x, forearm about the elbow onto the
 * same line, hand about the wrist so wrist→middle-finger knuckle is on it too; fingers follow the hand.
 * Legs: the whole leg about the hip until hip→ankle points straight down (−y); the foot and toes
 * are only carried along (not rotated) so the soles stay flat.
 */
export function tPoseTransforms(bones, heads) {
  const T = Object.fromEntries(bones.map((b) => [b, identity()]));
  for (const [side, sign] of [['l', 1], ['r', -1]]) {
    const along = [sign, 0, 0];
    const shoulder = heads[`upperarm_${side}`], elbow = heads[`lowerarm_${side}`];
    const wrist = heads[`hand_${side}`], knuckle = heads[`middle_01_${side}`];
    const upper = rotateAbout(rotationBetween(sub(elbow, shoulder), along), shoulder);
    const e1 = apply(upper, elbow), w1 = apply(upper, wrist);
    const lower = compose(rotateAbout(rotationBetween(sub(w1, e1), along), e1), upper);
    const w2 = apply(lower, wrist), k2 = apply(lower, knuckle);
    const hand = compose(rotateAbout(rotationBetween(sub(k2, w2), along), w2), lower);
    T[`upperarm_${side}`] = upper;
    T[`lowerarm_${side}`] = lower;
    T[`hand_${side}`] = hand;
    for (const f of FINGERS) for (const k of [1, 2, 3]) T[`${f}_0${k}_${side}`] = hand;

    const hip = heads[`thigh_${side}`], ankle = heads[`foot_${side}`];
    const leg = rotateAbout(rotationBetween(sub(ankle, hip), [0, -1, 0]), hip);
    const carried = { R: identity().R, t: sub(apply(leg, ankle), ankle) };
    T[`thigh_${side}`] = leg;
    T[`calf_${side}`] = leg;
    T[`foot_${side}`] = carried;
    T[`ball_${side}`] = carried;
  }
  return T;
}

/**
 * Blends bone transforms per vertex. `weights`: per vertex a list of [boneIndex, weight] (sum 1).
 * Returns { positions (n×3), linear (n×9 row-major: Σ w R, used to carry shape displacements) }.
 */
export function blendTransforms(positions, weights, transforms) {
  const n = weights.length;
  const out = new Float64Array(n * 3);
  const linear = new Float64Array(n * 9);
  for (let v = 0; v < n; v++) {
    const p = [positions[v * 3], positions[v * 3 + 1], positions[v * 3 + 2]];
    for (const [b, w] of weights[v]) {
      const T = transforms[b];
      const q = apply(T, p);
      for (let c = 0; c < 3; c++) out[v * 3 + c] += w * q[c];
      for (let k = 0; k < 9; k++) linear[v * 9 + k] += w * T.R[k];
    }
  }
  return { positions: out, linear };
}
