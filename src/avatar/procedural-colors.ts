/**
 * Procedural colouring of a body surface that reads as a dressed person: hair, skin (face, neck,
 * forearms, hands), a striped short-sleeved shirt, a belt, trousers and shoes, with gentle shading
 * noise. Regions come from each point's dominant skinning joint (SMPL's 24-joint layout) and its
 * position relative to the rest-pose joints, so the same rules fit any SMPL-convention body shape.
 * The palette is designed as displayed (sRGB); `proceduralColors` returns linear RGB, the colour
 * space of `avatar.gaussians.colors`, so the screen shows the palette.
 */
import { srgbToLinear } from '../color/srgb.js';
import { AvatarInputError } from '../errors.js';

/** SMPL joint indices used by the rules. */
const JOINT = {
  pelvis: 0, lHip: 1, rHip: 2, spine1: 3, lKnee: 4, rKnee: 5, spine2: 6, lAnkle: 7, rAnkle: 8, spine3: 9,
  lFoot: 10, rFoot: 11, neck: 12, lCollar: 13, rCollar: 14, head: 15, lShoulder: 16, rShoulder: 17,
  lElbow: 18, rElbow: 19, lWrist: 20, rWrist: 21, lHand: 22, rHand: 23,
} as const;

/** What a point is dressed in. */
export enum BodyRegion {
  Skin = 0,
  Hair = 1,
  Shirt = 2,
  Trousers = 3,
  Shoes = 4,
  Belt = 5,
  Eyes = 6,
  Lips = 7,
  EyeWhites = 8,
  Brows = 9,
}

/** Base colours (sRGB 0…1, as displayed) of each region; stripes alternate `Shirt` and `SHIRT_STRIPE`. */
export const REGION_COLORS: Record<BodyRegion, [number, number, number]> = {
  [BodyRegion.Skin]: [0.88, 0.68, 0.56],
  [BodyRegion.Hair]: [0.17, 0.11, 0.07],
  [BodyRegion.Shirt]: [0.93, 0.92, 0.87],
  [BodyRegion.Trousers]: [0.24, 0.33, 0.50],
  [BodyRegion.Shoes]: [0.30, 0.18, 0.10],
  [BodyRegion.Belt]: [0.36, 0.22, 0.12],
  [BodyRegion.Eyes]: [0.12, 0.09, 0.08],
  [BodyRegion.Lips]: [0.74, 0.42, 0.40],
  [BodyRegion.EyeWhites]: [0.93, 0.92, 0.89],
  [BodyRegion.Brows]: [0.20, 0.13, 0.08],
};
/** sRGB 0…1, as REGION_COLORS. */
const SHIRT_STRIPE: [number, number, number] = [0.12, 0.20, 0.42];
const SHOE_SOLE: [number, number, number] = [0.90, 0.89, 0.85];
/** Period of the shirt's horizontal stripes (metres) and the stripe's share of it. */
const STRIPE_PERIOD = 0.05;
const STRIPE_SHARE = 0.45;

export interface SurfacePoints {
  /** Rest-pose (T-pose) positions, N×3, metres (y up, facing +z, left = +x). */
  positions: Float32Array;
  /** Skinning weights, N×J row-major (J = 24, SMPL order). */
  weights: Float32Array;
  numJoints: number;
  /** Rest-pose joint positions, J×3, metres. */
  joints: Float32Array;
}

/** The region of every point (N), by the rules in the file comment. */
export function bodyRegions(points: SurfacePoints): Uint8Array {
  const { positions: P, weights: W, numJoints: J, joints: Jp } = points;
  if (J !== 24) throw new AvatarInputError(`numJoints: procedural colours need SMPL's 24 joints, got ${J}`);
  const N = P.length / 3;
  const out = new Uint8Array(N);
  const jy = (j: number) => Jp[j * 3 + 1]!;
  const head = [Jp[JOINT.head * 3]!, jy(JOINT.head), Jp[JOINT.head * 3 + 2]!];
  const neckY = jy(JOINT.neck);
  const pelvisY = jy(JOINT.pelvis);
  const ankleY = (jy(JOINT.lAnkle) + jy(JOINT.rAnkle)) / 2;
  const shoulderX = Math.abs(Jp[JOINT.lShoulder * 3]!);
  const elbowX = Math.abs(Jp[JOINT.lElbow * 3]!);
  const sleeveEndX = shoulderX + 0.55 * (elbowX - shoulderX);
  // The tallest head point: the hairline and eyes are placed relative to head height.
  let top = -Infinity;
  for (let i = 0; i < N; i++) if (dominantJoint(W, i, J) === JOINT.head) top = Math.max(top, P[i * 3 + 1]!);
  const headHeight = Math.max(top - head[1]!, 0.05);
  const beltTop = pelvisY + 0.06, beltBottom = pelvisY + 0.025;

  for (let i = 0; i < N; i++) {
    const x = P[i * 3]!, y = P[i * 3 + 1]!, z = P[i * 3 + 2]!;
    const j = dominantJoint(W, i, J);
    let region: BodyRegion;
    switch (j) {
      case JOINT.head: {
        const dx = x - head[0]!, dy = (y - head[1]!) / headHeight, dz = z - head[2]!;
        // Frontness −1 (back) … 1 (front) around the head's vertical axis.
        const front = dz / Math.max(Math.hypot(dx, dz), 1e-6);
        const hairline = 0.72 - 0.5 * (1 - front) * (1 - front) * 0.55;
        if (dy > hairline) region = BodyRegion.Hair;
        else if (front > 0.55 && Math.abs(dy - 0.28) < 0.032 && Math.abs(Math.abs(dx) - 0.032) < 0.013) {
          region = Math.abs(Math.abs(dx) - 0.032) < 0.0065 ? BodyRegion.Eyes : BodyRegion.EyeWhites;
        } else if (front > 0.5 && Math.abs(dy - 0.395) < 0.018 && Math.abs(Math.abs(dx) - 0.033) < 0.018) region = BodyRegion.Brows;
        else if (front > 0.8 && Math.abs(dy + 0.14) < 0.03 && Math.abs(dx) < 0.022) region = BodyRegion.Lips;
        else region = BodyRegion.Skin;
        break;
      }
      case JOINT.neck:
        region = y < neckY - 0.015 ? BodyRegion.Shirt : BodyRegion.Skin;
        break;
      case JOINT.lShoulder:
      case JOINT.rShoulder:
        region = Math.abs(x) < sleeveEndX ? BodyRegion.Shirt : BodyRegion.Skin;
        break;
      case JOINT.lElbow: case JOINT.rElbow: case JOINT.lWrist: case JOINT.rWrist: case JOINT.lHand: case JOINT.rHand:
        region = BodyRegion.Skin;
        break;
      case JOINT.lCollar: case JOINT.rCollar: case JOINT.spine1: case JOINT.spine2: case JOINT.spine3:
      case JOINT.pelvis: case JOINT.lHip: case JOINT.rHip:
        region = y > beltTop ? BodyRegion.Shirt : y > beltBottom ? BodyRegion.Belt : BodyRegion.Trousers;
        break;
      case JOINT.lKnee: case JOINT.rKnee:
        region = BodyRegion.Trousers;
        break;
      default: // ankles and feet
        region = y > ankleY + 0.035 ? BodyRegion.Trousers : BodyRegion.Shoes;
    }
    out[i] = region;
  }
  return out;
}

function dominantJoint(W: Float32Array, i: number, J: number): number {
  let best = 0;
  for (let j = 1; j < J; j++) if (W[i * J + j]! > W[i * J + best]!) best = j;
  return best;
}

/** Smooth pseudo-random value noise in about −1…1 at feature size `cell` metres (deterministic). */
function valueNoise(x: number, y: number, z: number, cell: number): number {
  const fx = x / cell, fy = y / cell, fz = z / cell;
  const ix = Math.floor(fx), iy = Math.floor(fy), iz = Math.floor(fz);
  const tx = smooth(fx - ix), ty = smooth(fy - iy), tz = smooth(fz - iz);
  let sum = 0;
  for (let c = 0; c < 8; c++) {
    const ox = c & 1, oy = (c >> 1) & 1, oz = (c >> 2) & 1;
    const w = (ox ? tx : 1 - tx) * (oy ? ty : 1 - ty) * (oz ? tz : 1 - tz);
    sum += w * hash(ix + ox, iy + oy, iz + oz);
  }
  return sum;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Integer lattice hash → −1…1. */
function hash(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2147483647.5 - 1;
}

/**
 * Colours N×3 of the points, linear RGB 0…1: the region's colour, shirt stripes and shoe soles,
 * times a gentle shading variation (±~8 % of the displayed value: coarse folds plus fine
 * fabric/skin grain), decoded from sRGB.
 */
export function proceduralColors(points: SurfacePoints, regions = bodyRegions(points)): Float32Array {
  const P = points.positions;
  const N = P.length / 3;
  const out = new Float32Array(N * 3);
  const soleTop = Math.min(points.joints[JOINT.lAnkle * 3 + 1]!, points.joints[JOINT.rAnkle * 3 + 1]!) - 0.055;
  for (let i = 0; i < N; i++) {
    const x = P[i * 3]!, y = P[i * 3 + 1]!, z = P[i * 3 + 2]!;
    const region = regions[i] as BodyRegion;
    let base = REGION_COLORS[region];
    if (region === BodyRegion.Shirt) {
      const phase = (((y / STRIPE_PERIOD) % 1) + 1) % 1;
      if (phase < STRIPE_SHARE) base = SHIRT_STRIPE;
    } else if (region === BodyRegion.Shoes && y < soleTop) {
      base = SHOE_SOLE;
    }
    const grain = region === BodyRegion.Hair ? 0.1 : region === BodyRegion.Skin ? 0.02 : 0.04;
    const shade = 1 + 0.05 * valueNoise(x, y, z, 0.06) + grain * valueNoise(x, y, z, 0.006);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = srgbToLinear(base[c]! * shade);
  }
  return out;
}
