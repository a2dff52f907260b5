/**
 * The project's own motion file: versioned JSON (schema in docs/motion-format.md).
 *
 * ```json
 * { "format": "gaussian-avatar-motion", "version": 1, "joints": "smpl24",
 *   "fps": 30, "frameCount": 2,
 *   "poses": [[72 numbers], [72 numbers]],     // or one flat list of frameCount×72
 *   "trans": [[x, y, z], [x, y, z]],           // optional (zeros), or flat frameCount×3
 *   "betas": [ … ] }                           // optional
 * ```
 */
import { AvatarFormatError, describeValue } from '../errors.js';
import { checkInputSize, DEFAULT_INPUT_LIMITS, type InputLimits } from '../io/input-limits.js';
import type { Motion } from './types.js';
import { checkMotion } from './validate-motion.js';

export const MOTION_JSON_FORMAT = 'gaussian-avatar-motion';
export const MOTION_JSON_VERSION = 1;

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'string') return `string "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return describeValue(value);
}

/**
 * Reads a per-frame table given either as a list of frames (each `width` numbers) or one flat
 * list of `frames×width` numbers, into a Float32Array. Every value must be a finite number that
 * fits in float32.
 */
function readTable(value: unknown, width: number, frames: number, field: string): Float32Array {
  if (!Array.isArray(value)) {
    throw new AvatarFormatError(`${field}: expected a list of ${frames} frames × ${width} numbers, got ${describeJson(value)}`);
  }
  const out = new Float32Array(frames * width);
  const nested = value.length > 0 && Array.isArray(value[0]);
  if (nested) {
    if (value.length !== frames) {
      throw new AvatarFormatError(`${field}: expected ${frames} frames (frameCount) × ${width}, got ${value.length} frames`);
    }
    for (let f = 0; f < frames; f++) {
      const row = value[f];
      if (!Array.isArray(row) || row.length !== width) {
        throw new AvatarFormatError(`${field}[${f}]: expected ${width} numbers, got ${describeJson(row)}`);
      }
      for (let c = 0; c < width; c++) out[f * width + c] = readNumber(row[c], `${field}[${f}][${c}]`);
    }
  } else {
    if (value.length !== frames * width) {
      throw new AvatarFormatError(
        `${field}: expected ${frames}×${width} = ${frames * width} numbers (frameCount × ${width}), got ${value.length}`,
      );
    }
    for (let i = 0; i < value.length; i++) out[i] = readNumber(value[i], `${field}[${i}]`);
  }
  return out;
}

function readNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isFinite(Math.fround(value))) {
    throw new AvatarFormatError(`${field}: expected a finite float32 number, got ${describeJson(value)}`);
  }
  return value;
}

/**
 * Parses the project's JSON motion (text, already decoded). Throws AvatarFormatError naming the
 * field, InputTooLargeError for more frames than `limits.maxMotionFrames` (before the tables are allocated).
 */
export function parseMotionJson(text: string, limits: Required<InputLimits> = DEFAULT_INPUT_LIMITS): Motion {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AvatarFormatError(`motion: expected JSON, ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new AvatarFormatError(`motion: expected a JSON object, got ${describeJson(doc)}`);
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== MOTION_JSON_FORMAT) {
    throw new AvatarFormatError(`motion.format: expected "${MOTION_JSON_FORMAT}", got ${describeJson(d.format)}`);
  }
  if (d.version !== MOTION_JSON_VERSION) {
    throw new AvatarFormatError(
      `motion.version: expected ${MOTION_JSON_VERSION} (the only version this SDK reads), got ${describeJson(d.version)}`,
    );
  }
  if (d.joints !== undefined && d.joints !== 'smpl24') {
    throw new AvatarFormatError(`motion.joints: expected "smpl24", got ${describeJson(d.joints)}`);
  }
  const fps = d.fps;
  if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0) {
    throw new AvatarFormatError(`motion.fps: expected a number > 0, got ${describeJson(fps)}`);
  }
  if (!Array.isArray(d.poses)) {
    throw new AvatarFormatError(`motion.poses: expected a list of frames × 72 numbers, got ${describeJson(d.poses)}`);
  }
  // Frame count: declared, or implied by the poses (nested: one entry per frame; flat: length / 72).
  const nested = d.poses.length > 0 && Array.isArray(d.poses[0]);
  const implied = nested ? d.poses.length : d.poses.length / 72;
  let frameCount: number;
  if (d.frameCount !== undefined) {
    const fc = d.frameCount;
    if (typeof fc !== 'number' || !Number.isInteger(fc) || fc < 1) {
      throw new AvatarFormatError(`motion.frameCount: expected an integer ≥ 1, got ${describeJson(fc)}`);
    }
    if (fc !== implied) {
      throw new AvatarFormatError(
        `motion.frameCount: declares ${fc} frames but motion.poses holds ${nested ? d.poses.length + ' frames' : d.poses.length + ' numbers'}`,
      );
    }
    frameCount = fc;
  } else {
    if (!Number.isInteger(implied) || implied < 1) {
      throw new AvatarFormatError(`motion.poses: expected frames × 72 numbers (≥ 1 frame), got ${describeJson(d.poses)}`);
    }
    frameCount = implied;
  }
  checkInputSize('motion.frameCount', frameCount, limits, 'maxMotionFrames', 'frames');
  const poses = readTable(d.poses, 72, frameCount, 'motion.poses');
  const trans = d.trans === undefined ? new Float32Array(frameCount * 3) : readTable(d.trans, 3, frameCount, 'motion.trans');
  const motion: Motion = { fps, frameCount, poses, trans, source: 'json' };
  if (d.betas !== undefined) {
    if (!Array.isArray(d.betas)) {
      throw new AvatarFormatError(`motion.betas: expected a list of numbers, got ${describeJson(d.betas)}`);
    }
    motion.betas = Float32Array.from(d.betas, (v, i) => readNumber(v, `motion.betas[${i}]`));
  }
  return motion;
}

/** Shortest decimal that reads back as exactly the same float32 (keeps files small and lossless). */
function float32Text(value: number): string {
  if (value === 0) return '0';
  // Round-tripping is monotonic in the digit count and 9 digits always suffice: binary search.
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(value.toPrecision(mid))) === value) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(value.toPrecision(lo)));
}

function row(values: Float32Array, start: number, end: number): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(float32Text(values[i]));
  return `[${parts.join(',')}]`;
}

/**
 * Serialises a motion as the project's JSON (version 1), one frame per line. Float32 values are
 * written as the shortest decimals that read back identically, so `parseMotion(saveMotion(m))`
 * returns the same poses, translations, betas and fps. Throws AvatarInputError for a malformed
 * motion (wrong lengths, NaN).
 */
export function saveMotion(motion: Motion): string {
  checkMotion(motion);
  const { frameCount: frames, poses, trans } = motion;
  const poseRows: string[] = [];
  const transRows: string[] = [];
  for (let f = 0; f < frames; f++) {
    poseRows.push(row(poses, f * 72, f * 72 + 72));
    transRows.push(row(trans, f * 3, f * 3 + 3));
  }
  const header = [
    `"format":"${MOTION_JSON_FORMAT}"`,
    `"version":${MOTION_JSON_VERSION}`,
    `"joints":"smpl24"`,
    `"fps":${JSON.stringify(motion.fps)}`,
    `"frameCount":${frames}`,
  ];
  if (motion.betas) header.push(`"betas":${row(motion.betas, 0, motion.betas.length)}`);
  return `{${header.join(',')},\n"poses":[\n${poseRows.join(',\n')}\n],\n"trans":[\n${transRows.join(',\n')}\n]}\n`;
}
