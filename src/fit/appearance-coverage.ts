/**
 * Which sides of the body the fitted frames showed, so fit mode can say what it had to invent
 * ("the back was never seen — turn around slowly") instead of filling it in silently.
 *
 * Each Gaussian belongs to the side its canonical (big-pose) normal faces most: front +z, back −z,
 * the person's left +x, right −x, top +y (body frame: y up, facing +z, left +x); normals that face
 * down or lie between sides (no component above 0.5) belong to none. A side is missing when fewer
 * than MISSING_SIDE_FRACTION of its Gaussians were seen. The top (head, shoulders) is reported but
 * never listed as missing: a camera at body height rarely sees it, and nothing the user does helps.
 */
import { AvatarInputError, describeValue } from '../errors.js';

export type BodySide = 'front' | 'back' | 'left' | 'right' | 'top';

export interface SideCoverage {
  /** Gaussians on this side. */
  gaussians: number;
  /** Of them, seen in at least one frame. */
  seen: number;
  /** seen / gaussians (0 for an empty side). */
  fraction: number;
}

export interface AppearanceCoverage {
  /** Per side of the body: how much of it the frames showed. */
  sides: Record<BodySide, SideCoverage>;
  /** Fraction of all Gaussians seen. */
  seenFraction: number;
  /** Sides seen less than MISSING_SIDE_FRACTION, in the order front, back, left, right. */
  missing: BodySide[];
  /** One sentence per missing side, saying what to do about it. */
  messages: string[];
  /** '' when nothing is missing, else one line for the user, e.g. "Never seen: back, left side — turn around slowly in front of the camera." */
  summary: string;
}

/** A side with fewer than this fraction of its Gaussians seen is reported missing. */
export const MISSING_SIDE_FRACTION = 0.3;

const SIDES: readonly BodySide[] = ['front', 'back', 'left', 'right', 'top'];
const REPORTED: readonly BodySide[] = ['front', 'back', 'left', 'right'];
const NAMES: Record<BodySide, string> = { front: 'front', back: 'back', left: 'left side', right: 'right side', top: 'top' };
const ADVICE: Record<BodySide, string> = {
  front: 'The front was never seen: face the camera for part of the clip.',
  back: 'The back was never seen: turn around slowly, once, in front of the camera.',
  left: 'Your left side was never seen: turn slowly so that it faces the camera for a moment.',
  right: 'Your right side was never seen: turn slowly so that it faces the camera for a moment.',
  top: 'The top was never seen.',
};

/** The side a canonical unit normal faces, or null (down, or between sides). */
export function sideOfNormal(x: number, y: number, z: number): BodySide | null {
  const candidates: [BodySide, number][] = [['front', z], ['back', -z], ['left', x], ['right', -x], ['top', y]];
  let best: BodySide | null = null, bestValue = 0.5;
  for (const [side, value] of candidates) {
    if (value > bestValue) {
      best = side;
      bestValue = value;
    }
  }
  return best;
}

/**
 * The coverage report of `seen` (N, 1 = seen) over Gaussians with canonical unit normals
 * `normals` (N×3, body frame).
 * @throws AvatarInputError when the lengths disagree.
 */
export function appearanceCoverage(normals: Float32Array, seen: Uint8Array): AppearanceCoverage {
  const N = seen.length;
  if (!(seen instanceof Uint8Array)) throw new AvatarInputError(`seen: expected a Uint8Array (N), got ${describeValue(seen)}`);
  if (!(normals instanceof Float32Array) || normals.length !== 3 * N) throw new AvatarInputError(`normals: expected Float32Array(${3 * N}) (N×3), got ${describeValue(normals)}`);
  const sides = Object.fromEntries(SIDES.map((s) => [s, { gaussians: 0, seen: 0, fraction: 0 }])) as Record<BodySide, SideCoverage>;
  let seenCount = 0;
  for (let i = 0; i < N; i++) {
    if (seen[i]) seenCount++;
    const side = sideOfNormal(normals[3 * i]!, normals[3 * i + 1]!, normals[3 * i + 2]!);
    if (!side) continue;
    sides[side].gaussians++;
    if (seen[i]) sides[side].seen++;
  }
  for (const side of SIDES) sides[side].fraction = sides[side].gaussians > 0 ? sides[side].seen / sides[side].gaussians : 0;
  const missing = REPORTED.filter((side) => sides[side].gaussians > 0 && sides[side].fraction < MISSING_SIDE_FRACTION);
  return {
    sides,
    seenFraction: N > 0 ? seenCount / N : 0,
    missing,
    messages: missing.map((side) => ADVICE[side]),
    summary: coverageSummary(missing),
  };
}

/** One line naming the missing sides and what to do, '' when none. */
export function coverageSummary(missing: readonly BodySide[]): string {
  if (missing.length === 0) return '';
  const onlySide = missing.length === 1 && (missing[0] === 'left' || missing[0] === 'right');
  const advice = onlySide ? `turn slowly so that your ${missing[0]} side faces the camera` : 'turn around slowly, once, in front of the camera';
  return `Never seen: ${missing.map((side) => NAMES[side]).join(', ')} — ${advice}. The avatar guesses those parts.`;
}
