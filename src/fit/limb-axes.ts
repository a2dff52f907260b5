/**
 * The axis of the body part each Gaussian lies on, in the canonical (big-pose) frame, from its
 * most-weighted joint. Clothes and skin tend to keep their colour around such an axis (a
 * waistband, a sleeve, trousers) and change along it (ring-fill.ts).
 * - A limb joint's axis is its bone: from the joint to its child (the mean of its children where it
 *   has several).
 * - The trunk's joints, those on the body's mid-plane x = 0 (the canonical body is mirror-symmetric
 *   about it, as mirror-twins.ts assumes), share one axis: from the root through the mean of them.
 *   Their own short bones lean with the spine's curve (the pelvis→spine bone by ~25°), which would
 *   tilt the rings round the hips.
 * - The ends (joints without children: head, hands, feet) have none (zero): a face's colour does
 *   not go round the head.
 */
import { AvatarInputError, describeValue } from '../errors.js';

/** Joints closer than this to the mid-plane x = 0 are the trunk's, metres. */
const MID_PLANE = 0.01;

/** Per joint, the unit axis of its body part (J×3; zero for the ends and where joints coincide). */
export function boneAxes(joints: Float32Array, parents: Int32Array): Float32Array {
  const J = parents.length;
  if (!(joints instanceof Float32Array) || joints.length !== 3 * J) throw new AvatarInputError(`joints: expected Float32Array(${3 * J}) (J×3 positions), got ${describeValue(joints)}`);
  const childSum = new Float64Array(3 * J), childCount = new Int32Array(J);
  for (let j = 0; j < J; j++) {
    const p = parents[j]!;
    if (p < 0) continue;
    for (let c = 0; c < 3; c++) childSum[3 * p + c] += joints[3 * j + c]!;
    childCount[p]++;
  }
  const onMidPlane = (j: number) => Math.abs(joints[3 * j]!) < MID_PLANE;
  const trunk = [0, 0, 0];
  for (let j = 1; j < J; j++) if (onMidPlane(j)) for (let c = 0; c < 3; c++) trunk[c] += joints[3 * j + c]! - joints[c]!;
  const axes = new Float32Array(3 * J);
  for (let j = 0; j < J; j++) {
    if (childCount[j] === 0) continue;
    const d = onMidPlane(j) ? trunk : [0, 1, 2].map((c) => childSum[3 * j + c]! / childCount[j]! - joints[3 * j + c]!);
    const length = Math.hypot(d[0]!, d[1]!, d[2]!);
    if (length > 1e-9) for (let c = 0; c < 3; c++) axes[3 * j + c] = d[c]! / length;
  }
  return axes;
}

/** Per Gaussian, the bone axis of its most-weighted joint (N×3). `weights`: N×J skinning weights. */
export function limbAxes(weights: Float32Array, joints: Float32Array, parents: Int32Array): Float32Array {
  const J = parents.length, N = weights.length / J;
  if (!Number.isInteger(N)) throw new AvatarInputError(`weights: expected N×${J} skinning weights, got ${weights.length} numbers`);
  const bones = boneAxes(joints, parents);
  const out = new Float32Array(3 * N);
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let j = 1; j < J; j++) if (weights[i * J + j]! > weights[i * J + best]!) best = j;
    out.set(bones.subarray(3 * best, 3 * best + 3), 3 * i);
  }
  return out;
}
