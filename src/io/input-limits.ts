/**
 * Size limits for every input the SDK reads (motions, `.gavatar` files, body model `.npz`, PLY,
 * downloads), checked before the big allocation, so an oversized or hostile file fails fast with an
 * InputTooLargeError instead of eating the tab's memory. Every loader takes `limits` to raise them.
 *
 * The defaults sit well above real files and well below what a browser tab can hold:
 * - motions: 64 MiB and 100 000 frames (55 min at 30 fps, 14 min at 120 fps; AMASS's longest clips
 *   are shorter). A Motion of 100 000 frames is 30 MB of float32; parsing a 64 MiB BVH needs ~2× that.
 * - `.gavatar`: 256 MiB (a trained R = 1024 avatar is ~100 MB; the default one 2.5 MB).
 * - body models: 512 MiB (SMPL-X's `.npz` saved as float64 is ~170 MB).
 * - PLY: 1 GiB and 10 million Gaussians.
 * - zip entries (`.gavatar`, `.npz`): 256 MiB inflated per entry, 512 MiB for all entries read from
 *   one archive; the inflated size is enforced while inflating, not taken from the header.
 */
import { AvatarInputError, InputTooLargeError, describeValue } from '../errors.js';

/** Limits on input sizes; each optional, in bytes unless named otherwise. */
export interface InputLimits {
  /** Largest motion file (AMASS `.npz`, BVH, JSON). Default 64 MiB. */
  maxMotionBytes?: number;
  /** Most frames of one motion, checked on the file's declared count before frames are allocated. Default 100 000. */
  maxMotionFrames?: number;
  /** Largest `.gavatar` file. Default 256 MiB. */
  maxAvatarBytes?: number;
  /** Largest body model `.npz` (loadSmplModel). Default 512 MiB. */
  maxBodyModelBytes?: number;
  /** Largest PLY file. Default 1 GiB. */
  maxPlyBytes?: number;
  /** Most vertices (Gaussians) of one PLY. Default 10 000 000. */
  maxPlyVertices?: number;
  /** Largest inflated size of one zip entry (`.gavatar`, `.npz`): the zip-bomb guard. Default 256 MiB. */
  maxEntryBytes?: number;
  /** Largest inflated size of all entries read from one archive together. Default 512 MiB. */
  maxInflatedBytes?: number;
}

const MiB = 2 ** 20;

/** The defaults (see the file comment for why). */
export const DEFAULT_INPUT_LIMITS: Readonly<Required<InputLimits>> = Object.freeze({
  maxMotionBytes: 64 * MiB,
  maxMotionFrames: 100_000,
  maxAvatarBytes: 256 * MiB,
  maxBodyModelBytes: 512 * MiB,
  maxPlyBytes: 1024 * MiB,
  maxPlyVertices: 10_000_000,
  maxEntryBytes: 256 * MiB,
  maxInflatedBytes: 512 * MiB,
});

const NAMES = Object.keys(DEFAULT_INPUT_LIMITS) as (keyof InputLimits)[];

/**
 * `limits` (undefined or a partial InputLimits) over the defaults. Throws AvatarInputError naming
 * `field.key` for an unknown key (a typo would otherwise be ignored) or a value that is not a number
 * ≥ 0 (Infinity turns a limit off).
 */
export function resolveInputLimits(limits: unknown, field = 'limits'): Required<InputLimits> {
  if (limits === undefined) return { ...DEFAULT_INPUT_LIMITS };
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new AvatarInputError(`${field}: expected an object of limits (${NAMES.join(', ')}) or undefined, got ${describeValue(limits)}`);
  }
  const out = { ...DEFAULT_INPUT_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!NAMES.includes(key as keyof InputLimits)) {
      throw new AvatarInputError(`${field}.${key}: unknown limit (expected one of ${NAMES.join(', ')})`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new AvatarInputError(`${field}.${key}: expected a number ≥ 0 (Infinity for no limit), got ${describeValue(value)}`);
    }
    out[key as keyof InputLimits] = value;
  }
  return out;
}

/** `67108864 bytes (64 MiB)`, `200000 frames`: a size for messages, with MiB for byte counts. */
function describeSize(value: number, unit: string): string {
  if (unit !== 'bytes' || value < MiB || !Number.isFinite(value)) return `${value} ${unit}`;
  return `${value} bytes (${+(value / MiB).toFixed(2)} MiB)`;
}

/**
 * Throws InputTooLargeError when `size > limit`, naming `what`, the size, the limit and the
 * `limits` option that raises it. `unit` is `bytes`, `frames`, `vertices`, ….
 */
export function checkInputSize(what: string, size: number, limits: Required<InputLimits>, option: keyof InputLimits, unit = 'bytes'): void {
  const limit = limits[option];
  if (size > limit) {
    throw new InputTooLargeError(
      `${what}: ${describeSize(size, unit)}, above the limit of ${describeSize(limit, unit)} (raise it with limits.${option})`,
    );
  }
}
