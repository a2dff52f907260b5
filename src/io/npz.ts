/**
 * Reader for numpy `.npz` archives (what `numpy.savez` / `savez_compressed` write): a zip of `.npy`
 * files, stored or deflated. Only the entries asked for are inflated and parsed, so an archive whose
 * other fields hold pickled objects (common in files converted from SMPL's `.pkl`) still loads.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import { resolveInputLimits, type InputLimits } from './input-limits.js';
import { parseNpy, type NpyArray } from './npy.js';
import { InflateBudget, listZipEntries, readZipEntry } from './zip-entries.js';

export type { NpyArray, NpyData } from './npy.js';

export interface ReadNpzOptions {
  /**
   * Names of the arrays to read (without `.npy`). Others are neither inflated nor parsed; names
   * missing from the archive are simply absent from the result. Default: every entry.
   */
  only?: readonly string[];
  /**
   * Largest uncompressed size accepted for one entry, in bytes (zip-bomb guard); the same as
   * `limits.maxEntryBytes`, which it overrides. Default 256 MiB (SMPL-X's largest field is ~120 MB as float64).
   */
  maxEntryBytes?: number;
  /** Input limits (src/io/input-limits.ts): `maxEntryBytes` and `maxInflatedBytes` (all entries read, default 512 MiB) apply. */
  limits?: InputLimits;
}

/** Accepts an ArrayBuffer or any typed-array view; anything else is an AvatarInputError. */
export function toBytes(data: unknown, label: string): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Any view (a Node Buffer too) becomes a plain Uint8Array over the same bytes.
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new AvatarInputError(`${label}: expected an ArrayBuffer or Uint8Array, got ${describeValue(data)}`);
}

/**
 * Reads an `.npz` archive into a map from array name (the entry name without `.npy`) to its decoded
 * array (see `NpyArray`; use `npyToFloat32` & co. from `./npy-arrays.js` for C-order typed arrays).
 * Throws AvatarInputError when `data` is not bytes, AvatarFormatError when the archive or a requested
 * array is malformed.
 */
export function readNpz(data: ArrayBuffer | Uint8Array, options: ReadNpzOptions = {}): Map<string, NpyArray> {
  const bytes = toBytes(data, 'npz');
  if (bytes.length === 0) throw new AvatarFormatError('npz: expected a zip archive, got 0 bytes');
  checkOptions(options);
  const limits = resolveInputLimits(options.limits, 'options.limits');
  if (options.maxEntryBytes !== undefined) limits.maxEntryBytes = options.maxEntryBytes;
  const budget = new InflateBudget(limits);
  const wanted = options.only ? new Set(options.only) : undefined;
  const out = new Map<string, NpyArray>();
  for (const entry of listZipEntries(bytes, 'npz')) {
    const name = entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name;
    if (wanted && !wanted.has(name)) continue;
    if (out.has(name)) throw new AvatarFormatError(`npz: the archive holds "${entry.name}" twice`);
    const label = `npz field '${name}'`;
    out.set(name, parseNpy(readZipEntry(bytes, entry, label, budget), label));
  }
  return out;
}

function checkOptions(options: ReadNpzOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new AvatarInputError(`options: expected { only?, maxEntryBytes?, limits? }, got ${describeValue(options)}`);
  }
  const { only, maxEntryBytes } = options;
  if (only !== undefined && !(Array.isArray(only) && only.every((n) => typeof n === 'string'))) {
    throw new AvatarInputError(`options.only: expected an array of field names, got ${describeValue(only)}`);
  }
  if (maxEntryBytes !== undefined && !(typeof maxEntryBytes === 'number' && maxEntryBytes >= 0)) {
    throw new AvatarInputError(`options.maxEntryBytes: expected a number of bytes ≥ 0, got ${describeValue(maxEntryBytes)}`);
  }
}

/** Names of the arrays in an `.npz` archive (entry names without `.npy`), without reading any. */
export function listNpz(data: ArrayBuffer | Uint8Array): string[] {
  const bytes = toBytes(data, 'npz');
  if (bytes.length === 0) throw new AvatarFormatError('npz: expected a zip archive, got 0 bytes');
  return listZipEntries(bytes, 'npz').map((e) => (e.name.endsWith('.npy') ? e.name.slice(0, -4) : e.name));
}
