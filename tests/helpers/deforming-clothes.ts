// Clothes that deform with the pose, for the fidelity benchmark's pose-conditioning comparison: what
// linear blend skinning of fixed Gaussians cannot produce, so only a pose-conditioned appearance
// network can learn it. Exact functions of the pose (no simulation, no state), sized to be seen at
// the reduced bench's 64×64 (≈ 3 cm a pixel):
// - the skirt swings: its lower rings flare out with the stride (the angle between the thighs'
//   flexions; 45 cm a radian at the hem, 38 cm at the bench walk's widest stride of 0.84 rad, a
//   bell-shaped swirl) and follow the legs' mean flexion forward or back (zero on the bench's walk,
//   whose legs flex symmetrically), both growing with the square of the depth below the waist;
// - sleeves and trouser legs fold: dark rings round the elbows and knees, 10 cm apart, fading
//   over 25 cm from the joint along the limb (upper and lower segment), whose depth grows with the
//   joint's bend. On the bench's walk they add little: the skirt covers the knees, the trousers
//   are dark, the elbows bend only 0.25–0.40 rad.
// Offsets are canonical (big-pose frame, added before skinning); colours linear RGB.
import { bigPose } from '../../src/avatar/uv-positional-map.js';
import type { Character } from './synthetic-character.js';

export type ClothDeformation = (pose: ArrayLike<number>) => { offsets: Float32Array; colors: Float32Array };

const L_HIP = 1, R_HIP = 2, L_KNEE = 4, R_KNEE = 5, L_ELBOW = 18, R_ELBOW = 19;
const L_ANKLE = 7, R_ANKLE = 8, L_SHOULDER = 16, R_SHOULDER = 17, L_WRIST = 20, R_WRIST = 21;
/** Fold joints and their limbs (the joint, its parent and its child): a Gaussian folds only if its strongest skinning joint is one of them. */
const CREASE_LIMBS: [number, number[]][] = [
  [L_KNEE, [L_HIP, L_KNEE, L_ANKLE]], [R_KNEE, [R_HIP, R_KNEE, R_ANKLE]],
  [L_ELBOW, [L_SHOULDER, L_ELBOW, L_WRIST]], [R_ELBOW, [R_SHOULDER, R_ELBOW, R_WRIST]],
];
/**
 * Skirt: outward flare per radian of stride, forward swing per radian of mean flexion, metres at the
 * hem. Chosen by the pose-conditioning bench's signal line alone (held-out truth vs the
 * training-mean deformation ≤ 31 dB, below the avatars' whole error; 0.18 gave 38.2 dB, 0.3 34.4,
 * 0.45 30.9), before and regardless of how the pose conditionings compare on it.
 */
const FLARE = 0.45, SWING = 0.45;
/** Folds: reach from the joint, ring spacing, darkening at a full bend (≥ 1 rad). */
const CREASE_REACH = 0.25, CREASE_PERIOD = 0.1, CREASE_DEPTH = 0.75;

/** A joint's bend: the angle of its local rotation. */
const bendOf = (pose: ArrayLike<number>, j: number) => Math.hypot(pose[3 * j]!, pose[3 * j + 1]!, pose[3 * j + 2]!);

export function clothDeformation(character: Omit<Character, 'deform'>, skirt: { top: number; bottom: number; centreZ: number }): ClothDeformation {
  const { avatar, positions, weights, colors, count: M, skirtCount } = character;
  const N = M - skirtCount, J = avatar.body.numJoints;
  const joints = avatar.body.forward({ pose: bigPose(J), betas: avatar.betas }).joints;
  // Each body Gaussian on a fold joint's limb and near it: that joint and the distance to it (canonical).
  const near: { i: number; joint: number; d: number }[] = [];
  for (let i = 0; i < N; i++) {
    let strongest = 0;
    for (let j = 1; j < J; j++) if (weights[i * J + j]! > weights[i * J + strongest]!) strongest = j;
    for (const [j, limb] of CREASE_LIMBS) {
      if (!limb.includes(strongest)) continue;
      const d = Math.hypot(positions[3 * i]! - joints[3 * j]!, positions[3 * i + 1]! - joints[3 * j + 1]!, positions[3 * i + 2]! - joints[3 * j + 2]!);
      if (d < CREASE_REACH) near.push({ i, joint: j, d });
    }
  }
  return (pose) => {
    const offsets = new Float32Array(3 * M);
    // Forward flexion of a hip is a negative rotation about x (the leg swings towards +z).
    const flexL = -pose[3 * L_HIP]!, flexR = -pose[3 * R_HIP]!;
    const stride = Math.min(1.2, Math.abs(flexL - flexR)), swing = (flexL + flexR) / 2;
    for (let i = N; i < M; i++) {
      const x = positions[3 * i]!, y = positions[3 * i + 1]!, z = positions[3 * i + 2]! - skirt.centreZ;
      const t = Math.max(0, (skirt.top - y) / (skirt.top - skirt.bottom));
      const r = Math.hypot(x, z) || 1;
      const flare = FLARE * t * t * stride;
      offsets[3 * i] = (flare * x) / r;
      offsets[3 * i + 2] = (flare * z) / r + SWING * t * t * swing;
    }
    const out = colors.slice();
    for (const { i, joint, d } of near) {
      const depth = CREASE_DEPTH * Math.min(1, bendOf(pose, joint)) * (1 - d / CREASE_REACH) * (0.5 + 0.5 * Math.cos((2 * Math.PI * d) / CREASE_PERIOD));
      for (let c = 0; c < 3; c++) out[3 * i + c] *= 1 - depth;
    }
    return { offsets, colors: out };
  };
}
