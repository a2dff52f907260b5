/**
 * `parseMotion`: reads a motion file of any supported format into a Motion in the body's
 * convention, detecting the format from the content unless `options.format` says it.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import { checkInputSize, resolveInputLimits } from '../io/input-limits.js';
import { parseAmassNpz } from './amass-npz.js';
import { parseBvh } from './bvh-parser.js';
import { retargetBvh } from './bvh-retarget.js';
import { parseMotionJson } from './motion-json.js';
import type { Motion, ParseMotionOptions } from './types.js';

const FORMATS = ['npz', 'bvh', 'json'] as const;
type Format = (typeof FORMATS)[number];

function toBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** Format from the first bytes: zip magic `PK\x03\x04` → npz, `HIERARCHY` → bvh, `{` → json. */
function detectFormat(head: string): Format | undefined {
  if (head.startsWith('PK\x03\x04')) return 'npz';
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('HIERARCHY')) return 'bvh';
  if (text.startsWith('{')) return 'json';
  return undefined;
}

function checkOptions(options: unknown): ParseMotionOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AvatarInputError(`options: expected an object or undefined, got ${describeValue(options)}`);
  }
  const o = options as ParseMotionOptions;
  if (o.format !== undefined && !FORMATS.includes(o.format)) {
    throw new AvatarInputError(`options.format: expected 'npz', 'bvh' or 'json', got ${describeValue(o.format)}`);
  }
  if (o.fps !== undefined && (typeof o.fps !== 'number' || !Number.isFinite(o.fps) || o.fps <= 0)) {
    throw new AvatarInputError(`options.fps: expected a number > 0, got ${describeValue(o.fps)}`);
  }
  if (o.hands !== undefined && o.hands !== 'zero' && o.hands !== 'middle-finger') {
    throw new AvatarInputError(`options.hands: expected 'zero' or 'middle-finger', got ${describeValue(o.hands)}`);
  }
  return o;
}

/**
 * Reads a motion: an AMASS `.npz` (SMPL, SMPL-H or SMPL-X poses; z up, converted to y up), a BVH
 * (retargeted onto SMPL's 24 joints) or the project's JSON motion. Synchronous.
 *
 * `data`: the file's bytes (ArrayBuffer or Uint8Array) or, for the text formats, its text.
 * Returns poses F×72 (local axis-angles, root first), trans F×3 (metres), fps, y up, body facing +z.
 * Throws AvatarInputError for wrong argument types, AvatarFormatError, naming the field, for a
 * malformed or unsupported file, and InputTooLargeError for a file or frame count above
 * `options.limits` (defaults: 64 MiB, 100 000 frames; see src/io/input-limits.ts).
 */
export function parseMotion(data: ArrayBuffer | Uint8Array | string, options?: ParseMotionOptions): Motion {
  const opts = checkOptions(options);
  let bytes: Uint8Array | undefined;
  let text: string | undefined;
  if (typeof data === 'string') text = data;
  else if (data instanceof ArrayBuffer || data instanceof Uint8Array) bytes = toBytes(data);
  else throw new AvatarInputError(`data: expected an ArrayBuffer, Uint8Array or string, got ${describeValue(data)}`);

  const length = bytes ? bytes.length : text!.length;
  if (length === 0) throw new AvatarFormatError('motion: expected a motion file, got 0 bytes');
  const limits = resolveInputLimits(opts.limits, 'options.limits');
  // Text is counted in UTF-16 code units: the byte length for the ASCII that motion files are.
  checkInputSize('motion', length, limits, 'maxMotionBytes', bytes ? 'bytes' : 'characters');
  const head = bytes ? new TextDecoder().decode(bytes.subarray(0, 64)) : text!.slice(0, 64);
  const format = opts.format ?? detectFormat(head);
  if (!format) {
    throw new AvatarFormatError(
      'motion: unrecognised format (expected an .npz zip archive, a BVH starting with HIERARCHY, or JSON starting with "{")',
    );
  }
  if (format === 'npz') {
    if (!bytes) throw new AvatarInputError('data: an npz motion must be given as bytes (ArrayBuffer or Uint8Array), got a string');
    return parseAmassNpz(bytes, opts, limits);
  }
  text ??= new TextDecoder().decode(bytes);
  text = text.replace(/^\uFEFF/, '');
  return format === 'bvh' ? retargetBvh(parseBvh(text, limits), opts) : parseMotionJson(text, limits);
}
