/**
 * Retargets a parsed BVH onto the 24-joint SMPL skeleton by world rotations.
 *
 * Each mapped SMPL joint j gets a constant rest correction C_j, the rotation that takes j's bone
 * direction in the SMPL T-pose onto the mapped BVH bone's direction in the BVH rest pose. Per
 * frame, SMPL world rotations are `W_smpl(j) = W_bvh(map(j)) · C_j`, so every SMPL bone points
 * where the BVH bone points whatever the two rest poses (T-pose, A-pose, arms down, another
 * facing); local rotations follow as `L(j) = W_smpl(parent)⁻¹ · W_smpl(j)`. Unmapped SMPL joints
 * keep their parent's world rotation (identity local rotation).
 *
 * A joint's "bone" runs to its nearest mapped SMPL descendant. Joints with several (pelvis: hips
 * and spine; spine3: collars and neck) are aligned by a whole frame: left−right axis first, then
 * the up direction. Joints without one (head, hands, toes) reuse their mapped ancestor's correction.
 *
 * A z-up BVH world (bvh-up-axis.ts) is turned into the y-up world first: its rest positions, End
 * Sites and the root's rotation and position per frame, so everything below works y up.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import type { BvhFile } from './bvh-parser.js';
import { resolveBvhMap, type ResolvedMap } from './bvh-rig-maps.js';
import { resolveBvhUpAxis, toYUpQuat } from './bvh-up-axis.js';
import { readPelvis, readRestJoints } from './rest-skeleton.js';
import {
  axisAngleFromQuat,
  conjugateQuat,
  frameQuat,
  identityQuat,
  multiplyQuat,
  quatAboutAxis,
  quatBetween,
  rotateVec,
} from './rotations.js';
import { SMPL_JOINT_NAMES, SMPL_PARENTS, type Motion, type ParseMotionOptions } from './types.js';

/** Candidate BVH length units in metres: m, cm, mm, inches, and the CMU-database BVH unit (inch / 0.45). */
const UNIT_CANDIDATES = [1, 0.01, 0.001, 0.0254, 0.0254 / 0.45];
/** A human skeleton's rest extent (height or arm span), metres, that unit detection aims for. */
const HUMAN_EXTENT_M = 1.7;

const SMPL_CHILDREN: number[][] = SMPL_PARENTS.map((_, j) => SMPL_PARENTS.flatMap((p, c) => (p === j ? [c] : [])));

type Vec = Float64Array;

const sub = (a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): Vec =>
  new Float64Array([a[ai] - b[bi], a[ai + 1] - b[bi + 1], a[ai + 2] - b[bi + 2]]);
const length = (v: Vec): number => Math.hypot(v[0], v[1], v[2]);

/** World rest positions of the BVH joints (file units): sums of OFFSETs, all rotations zero, turned by `toYUp` when given. */
function bvhRestPositions(bvh: BvhFile, toYUp?: Float64Array): Float64Array {
  const out = new Float64Array(bvh.joints.length * 3);
  bvh.joints.forEach((joint, b) => {
    for (let c = 0; c < 3; c++) out[b * 3 + c] = (joint.parent < 0 ? 0 : out[joint.parent * 3 + c]) + joint.offset[c];
  });
  if (toYUp) for (let b = 0; b < bvh.joints.length; b++) out.set(rotateVec(new Float64Array(3), out.subarray(b * 3, b * 3 + 3), toYUp), b * 3);
  return out;
}

/** Length unit (metres per file unit) that makes the rest skeleton human-sized. */
export function detectUnitScale(bvh: BvhFile): number {
  const rest = bvhRestPositions(bvh);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  bvh.joints.forEach((joint, b) => {
    const points = [[rest[b * 3], rest[b * 3 + 1], rest[b * 3 + 2]]];
    if (joint.endSite) points.push(points[0].map((v, c) => v + joint.endSite![c]));
    for (const p of points) for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c], p[c]);
      hi[c] = Math.max(hi[c], p[c]);
    }
  });
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  if (!(extent > 0) || !Number.isFinite(extent)) return 1;
  let best = 1;
  for (const s of UNIT_CANDIDATES) {
    if (Math.abs(Math.log((extent * s) / HUMAN_EXTENT_M)) < Math.abs(Math.log((extent * best) / HUMAN_EXTENT_M))) best = s;
  }
  return best;
}

/** Per-joint rest corrections C_j (quaternions), indexed by SMPL joint; unmapped joints repeat their parent's. */
function restCorrections(bvh: BvhFile, map: ResolvedMap, smplRest: Float64Array, bvhRest: Float64Array, toYUp: Float64Array): Float64Array[] {
  /** Rest direction (y up) from BVH joint b to its children's mean (or its End Site), null for none. */
  const bvhChildDirection = (b: number): Vec | null => {
    const kids = bvh.joints.flatMap((joint, k) => (joint.parent === b ? [k] : []));
    if (kids.length === 0) return bvh.joints[b].endSite ? rotateVec(new Float64Array(3), bvh.joints[b].endSite!, toYUp) : null;
    const d = new Float64Array(3);
    for (const k of kids) for (let c = 0; c < 3; c++) d[c] += (bvhRest[k * 3 + c] - bvhRest[b * 3 + c]) / kids.length;
    return d;
  };
  // Zero-length bones (e.g. CMU's LowerBack sits on Hips) are skipped over: look one level deeper.
  const scale = bvhRest.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
  const tiny = 1e-6 * scale;

  const targets = (j: number): number[] =>
    SMPL_CHILDREN[j].flatMap((c) => (map.has(c) ? [c] : targets(c)));

  /** SMPL and BVH rest directions from joint j to its mapped descendant k, or null if degenerate. */
  const aim = (j: number, k: number): [Vec, Vec] | null => {
    const s = sub(smplRest, k * 3, smplRest, j * 3);
    const b = sub(bvhRest, map.get(k)! * 3, bvhRest, map.get(j)! * 3);
    if (length(s) > 1e-9 && length(b) > tiny) return [s, b];
    for (const deeper of centreFirst(targets(k))) {
      const found = aim(j, deeper);
      if (found) return found;
    }
    return null;
  };

  const side = (k: number): 'left' | 'right' | 'centre' =>
    SMPL_JOINT_NAMES[k].startsWith('left_') ? 'left' : SMPL_JOINT_NAMES[k].startsWith('right_') ? 'right' : 'centre';
  const centreFirst = (ks: number[]): number[] => [...ks.filter((k) => side(k) === 'centre'), ...ks.filter((k) => side(k) !== 'centre')];

  const corrections: Float64Array[] = [];
  for (let j = 0; j < 24; j++) {
    const parent = SMPL_PARENTS[j];
    const inherited = parent < 0 ? identityQuat() : corrections[parent];
    if (!map.has(j)) {
      corrections.push(inherited);
      continue;
    }
    const ks = targets(j);
    const left = ks.find((k) => side(k) === 'left');
    const right = ks.find((k) => side(k) === 'right');
    let c: Float64Array | null = null;
    if (left !== undefined && right !== undefined) {
      // A whole frame: the left−right axis, then "up" (towards the centre child, else away from the pair's midpoint).
      const sLat = sub(smplRest, left * 3, smplRest, right * 3);
      const bLat = sub(bvhRest, map.get(left)! * 3, bvhRest, map.get(right)! * 3);
      const centre = ks.filter((k) => side(k) === 'centre').map((k) => aim(j, k)).find((a) => a !== null);
      let sUp: Vec;
      let bUp: Vec;
      if (centre) [sUp, bUp] = centre;
      else {
        const mid = (rest: Float64Array, a: number, b: number, o: number): Vec =>
          new Float64Array([0, 1, 2].map((i) => (rest[a * 3 + i] + rest[b * 3 + i]) / 2 - rest[o * 3 + i]));
        sUp = mid(smplRest, left, right, j);
        bUp = mid(bvhRest, map.get(left)!, map.get(right)!, map.get(j)!);
      }
      const fs = frameQuat(sLat, sUp);
      const fb = frameQuat(bLat, bUp);
      if (fs && fb && length(bLat) > tiny) c = multiplyQuat(new Float64Array(4), fb, conjugateQuat(new Float64Array(4), fs));
    }
    if (!c) {
      for (const k of centreFirst(ks)) {
        const a = aim(j, k);
        if (a) {
          c = quatBetween(new Float64Array(4), a[0], a[1]);
          break;
        }
      }
    }
    // Nothing mapped below j (a partial map): aim SMPL's own child at the BVH joint's own child.
    if (!c && ks.length === 0 && SMPL_CHILDREN[j].length > 0) {
      const s = sub(smplRest, SMPL_CHILDREN[j][0] * 3, smplRest, j * 3);
      const b = bvhChildDirection(map.get(j)!);
      if (b && length(s) > 1e-9 && length(b) > tiny) c = quatBetween(new Float64Array(4), s, b);
    }
    corrections.push(c ?? inherited);
  }
  return corrections;
}

function readUnitScale(options: ParseMotionOptions, bvh: BvhFile): number {
  const u = options.unitScale;
  if (u === undefined) return detectUnitScale(bvh);
  if (typeof u !== 'number' || !Number.isFinite(u) || u <= 0) {
    throw new AvatarInputError(`options.unitScale: expected a number > 0 (metres per BVH unit), got ${describeValue(u)}`);
  }
  return u;
}

/** Frame rate from the frame time, snapped to a whole number when within 0.01 of one (1/0.033333 → 30). */
function fpsFromFrameTime(frameTime: number): number {
  const fps = 1 / frameTime;
  return Math.abs(fps - Math.round(fps)) < 0.01 ? Math.round(fps) : fps;
}

/** Turns a parsed BVH into an SMPL Motion (see the file comment). */
export function retargetBvh(bvh: BvhFile, options: ParseMotionOptions = {}): Motion {
  const map = resolveBvhMap(
    bvh.joints.map((j) => j.name),
    options.bvhMap,
  );
  const unit = readUnitScale(options, bvh);
  const smplRest = readRestJoints(options);
  const pelvis = readPelvis(options);
  const toYUp = toYUpQuat(resolveBvhUpAxis(options, map, bvhRestPositions(bvh)));
  // The forward kinematics below run in the y-up world (the root turned by toYUp), so a joint's
  // world rotation is toYUp·W with W acting on the file's own rest offsets: those are turned back
  // (toYUp⁻¹) before the correction, which was found on y-up rest directions.
  const fromYUp = conjugateQuat(new Float64Array(4), toYUp);
  const corrections = restCorrections(bvh, map, smplRest, bvhRestPositions(bvh, toYUp), toYUp).map((c) =>
    multiplyQuat(new Float64Array(4), fromYUp, c),
  );

  const joints = bvh.joints;
  const n = joints.length;
  const F = bvh.frameCount;
  const poses = new Float32Array(F * 72);
  const trans = new Float32Array(F * 3);
  const world = Array.from({ length: n }, () => new Float64Array(4));
  const position = new Float64Array(n * 3);
  const smplWorld = Array.from({ length: 24 }, () => new Float64Array(4));
  const axisQ = new Float64Array(4);
  const local = new Float64Array(4);
  const inverse = new Float64Array(4);
  const t = new Float64Array(3);
  const moved = new Float64Array(3);
  const pelvisJoint = map.get(0)!;
  // Per joint, per channel: 0–2 = X/Y/Z position, 3–5 = X/Y/Z rotation.
  const channelKinds = joints.map((joint) =>
    joint.channels.map((ch) => ch.charCodeAt(0) - 88 + (ch.endsWith('rotation') ? 3 : 0)), // 'X' = 88
  );

  for (let f = 0; f < F; f++) {
    const row = f * bvh.channelCount;
    // BVH forward kinematics: W(b) = W(parent) · R(b), R = product of the rotation channels in file order.
    for (let b = 0; b < n; b++) {
      const joint = joints[b];
      local.set([0, 0, 0, 1]);
      t.set(joint.offset);
      const kinds = channelKinds[b];
      for (let k = 0; k < kinds.length; k++) {
        const v = bvh.frames[row + joint.channelStart + k];
        const kind = kinds[k];
        if (kind >= 3) multiplyQuat(local, local, quatAboutAxis(axisQ, (kind - 3) as 0 | 1 | 2, ((v % 360) * Math.PI) / 180));
        else t[kind] = v; // position channels give the joint's translation, replacing its OFFSET
      }
      if (joint.parent < 0) {
        // The root carries the whole rig into the y-up world.
        multiplyQuat(world[b], toYUp, local);
        position.set(rotateVec(moved, t, toYUp), b * 3);
      } else {
        const p = joint.parent;
        multiplyQuat(world[b], world[p], local);
        rotateVec(moved, t, world[p]);
        for (let c = 0; c < 3; c++) position[b * 3 + c] = position[p * 3 + c] + moved[c];
      }
    }
    // SMPL world rotations, then local ones.
    for (let j = 0; j < 24; j++) {
      const b = map.get(j);
      const parent = SMPL_PARENTS[j];
      if (b !== undefined) multiplyQuat(smplWorld[j], world[b], corrections[j]);
      else smplWorld[j].set(smplWorld[parent]);
      if (parent < 0) local.set(smplWorld[j]);
      else multiplyQuat(local, conjugateQuat(inverse, smplWorld[parent]), smplWorld[j]);
      axisAngleFromQuat(poses, f * 72 + j * 3, local);
      if (!(Number.isFinite(poses[f * 72 + j * 3]) && Number.isFinite(poses[f * 72 + j * 3 + 1]) && Number.isFinite(poses[f * 72 + j * 3 + 2]))) {
        throw new AvatarFormatError(`bvh: frame ${f} gives SMPL joint ${SMPL_JOINT_NAMES[j]} no finite rotation (values out of range)`);
      }
    }
    // The SMPL pelvis (at restPelvis + trans) goes where the BVH hips are.
    for (let c = 0; c < 3; c++) {
      trans[f * 3 + c] = position[pelvisJoint * 3 + c] * unit - pelvis[c];
      if (!Number.isFinite(trans[f * 3 + c])) {
        throw new AvatarFormatError(`bvh: frame ${f} puts the hips at ${position[pelvisJoint * 3 + c]} units, beyond float32 metres`);
      }
    }
  }
  return { fps: fpsFromFrameTime(bvh.frameTime), frameCount: F, poses, trans, source: 'bvh' };
}
