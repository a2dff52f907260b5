/**
 * Minimal, defensive zip reader for npz archives: reads the central directory (zip64 included, as
 * numpy writes), then inflates only the entries asked for with fflate.
 *
 * Why not fflate's `unzipSync`: it trusts the declared entry count (a zip64 header can declare 2^32
 * entries → a hang) and allocates each entry's declared size before inflating. Here every count,
 * offset and size is checked against the bytes present, declared sizes against the input limits
 * (src/io/input-limits.ts), inflation stops at the declared size (a lying header cannot make it
 * allocate more), and the inflated bytes are checked against the CRC-32, before anything reaches
 * the npy parser.
 */
import { Inflate } from 'fflate';
import { AvatarFormatError, InputTooLargeError } from '../errors.js';
import type { InputLimits } from './input-limits.js';

/** One file of a zip archive, as described by its central-directory record. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** Offset of the entry's local header in the archive. */
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_RECORD_MIN = 46;

/** Reads a little-endian u64 as a number; values beyond 2^53 are refused. */
function u64(view: DataView, at: number, label: string): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 0x200000) throw new AvatarFormatError(`${label}: zip64 size or offset beyond 2^53`);
  return hi * 0x100000000 + lo;
}

/**
 * Lists the entries of a zip archive from its central directory. Throws AvatarFormatError when the
 * bytes are not a well-formed zip.
 */
export function listZipEntries(bytes: Uint8Array, label: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notZip = () =>
    new AvatarFormatError(`${label}: not a zip archive (no end-of-central-directory record)${guessFormat(bytes)}`);
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (view.getUint32(at, true) === EOCD_SIG && at + 22 + view.getUint16(at + 20, true) <= bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw notZip();

  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  let cdLimit = eocd; // the central directory ends before this
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIG) {
    const z = u64(view, eocd - 12, label);
    if (z + 56 > eocd - 20 || view.getUint32(z, true) !== ZIP64_EOCD_SIG) {
      throw new AvatarFormatError(`${label}: zip64 end-of-central-directory record missing or out of bounds`);
    }
    count = u64(view, z + 32, label);
    cdSize = u64(view, z + 40, label);
    cdOffset = u64(view, z + 48, label);
    cdLimit = z;
  }
  if (cdOffset + cdSize > cdLimit) {
    throw new AvatarFormatError(
      `${label}: zip central directory (${cdSize} bytes at ${cdOffset}) lies outside the ${bytes.length}-byte file`,
    );
  }
  if (count * CENTRAL_RECORD_MIN > cdSize) {
    throw new AvatarFormatError(`${label}: zip declares ${count} entries in a ${cdSize}-byte central directory`);
  }

  const entries: ZipEntry[] = [];
  const end = cdOffset + cdSize;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_RECORD_MIN > end || view.getUint32(at, true) !== CENTRAL_SIG) {
      throw new AvatarFormatError(`${label}: zip central directory record ${i} is malformed`);
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const next = at + CENTRAL_RECORD_MIN + nameLength + extraLength + commentLength;
    if (next > end) throw new AvatarFormatError(`${label}: zip central directory record ${i} overruns the directory`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));

    // zip64 extra field: the 64-bit values of whichever 32-bit fields are 0xFFFFFFFF, in this order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (extra + 4 + size > extraEnd) break;
      if (id === 0x0001) {
        let p = extra + 4;
        const take = (): number => {
          if (p + 8 > extra + 4 + size) throw new AvatarFormatError(`${label}: zip64 extra field of "${name}" too short`);
          const v = u64(view, p, label);
          p += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      extra += 4 + size;
    }
    if (flags & 1) throw new AvatarFormatError(`${label}: zip entry "${name}" is encrypted`);
    entries.push({ name, method, compressedSize, uncompressedSize, crc32, localHeaderOffset });
    at = next;
  }
  return entries;
}

/**
 * What the entries read from one archive may inflate to: `maxEntryBytes` each and
 * `maxInflatedBytes` together (the zip-bomb guard). One budget per archive.
 */
export class InflateBudget {
  private used = 0;
  constructor(private readonly limits: Pick<Required<InputLimits>, 'maxEntryBytes' | 'maxInflatedBytes'>) {}

  /** Counts `entry`'s declared size, refusing it (InputTooLargeError) above either limit. */
  take(entry: ZipEntry, label: string): void {
    const { name, uncompressedSize } = entry;
    const { maxEntryBytes, maxInflatedBytes } = this.limits;
    if (uncompressedSize > maxEntryBytes) {
      throw new InputTooLargeError(
        `${label}: zip entry "${name}" declares ${uncompressedSize} bytes uncompressed, above the ${maxEntryBytes}-byte limit (raise it with limits.maxEntryBytes)`,
      );
    }
    if (this.used + uncompressedSize > maxInflatedBytes) {
      throw new InputTooLargeError(
        `${label}: zip entry "${name}" (${uncompressedSize} bytes uncompressed) brings the archive's inflated total to ` +
          `${this.used + uncompressedSize} bytes, above the ${maxInflatedBytes}-byte limit (raise it with limits.maxInflatedBytes)`,
      );
    }
    this.used += uncompressedSize;
  }
}

/** Compressed bytes handed to the inflater at a time: one push can inflate to at most ~1032× this. */
const INFLATE_CHUNK = 16384;

/**
 * Inflates `compressed` into exactly `size` bytes, stopping as soon as the output would pass `size`:
 * memory never exceeds the declared size plus one chunk's output, however far the data would inflate.
 */
function inflateBounded(compressed: Uint8Array, size: number, what: string): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (overflow || written + chunk.length > size) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  let at = 0;
  try {
    do {
      const end = Math.min(at + INFLATE_CHUNK, compressed.length);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
      at = end;
    } while (at < compressed.length && !overflow);
  } catch (e) {
    throw new AvatarFormatError(`${what} is not valid deflate data (${(e as Error).message})`);
  }
  if (overflow) {
    throw new AvatarFormatError(`${what} inflates past the ${size} bytes its header declares (a zip bomb or a corrupt file); stopped there`);
  }
  if (written !== size) throw new AvatarFormatError(`${what} inflated to ${written} bytes, its header declares ${size}`);
  return out;
}

/**
 * The uncompressed bytes of one entry. Refuses, before allocating, declared sizes above the
 * budget's limits or above `maxBytes` (what the caller knows the entry can hold, e.g. its array's
 * declared shape), inflates no further than the declared size, and checks the CRC-32.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, label: string, budget: InflateBudget, maxBytes = Infinity): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { name, method, compressedSize, uncompressedSize, localHeaderOffset } = entry;
  if (uncompressedSize > maxBytes) {
    throw new AvatarFormatError(
      `${label}: zip entry "${name}" declares ${uncompressedSize} bytes uncompressed, above the ${maxBytes}-byte limit of what it holds`,
    );
  }
  // Deflate expands at most ~1032:1, so a larger declared size is a lie: refuse it before allocating.
  if (method === 8 && uncompressedSize > compressedSize * 1032 + 64) {
    throw new AvatarFormatError(
      `${label}: zip entry "${name}" declares ${uncompressedSize} bytes from ${compressedSize} deflated bytes, more than deflate can produce`,
    );
  }
  budget.take(entry, label);
  const at = localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIG) {
    throw new AvatarFormatError(`${label}: zip local header of "${name}" missing or out of bounds`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + compressedSize > bytes.length) {
    throw new AvatarFormatError(`${label}: zip entry "${name}" (${compressedSize} bytes) runs past the end of the file`);
  }
  const compressed = bytes.subarray(start, start + compressedSize);
  let out: Uint8Array;
  if (method === 0) {
    if (compressedSize !== uncompressedSize) {
      throw new AvatarFormatError(`${label}: stored zip entry "${name}" has different compressed and uncompressed sizes`);
    }
    out = compressed;
  } else if (method === 8) {
    out = inflateBounded(compressed, uncompressedSize, `${label}: zip entry "${name}"`);
  } else {
    throw new AvatarFormatError(`${label}: zip entry "${name}" uses compression method ${method} (expected stored or deflate)`);
  }
  if (crc32(out) !== entry.crc32) throw new AvatarFormatError(`${label}: zip entry "${name}" fails its CRC-32 check (corrupt file)`);
  return out;
}

/** A hint for the error message when the bytes are something other than a zip. */
function guessFormat(bytes: Uint8Array): string {
  if (bytes.length === 0) return ': the input is empty';
  if (bytes[0] === 0x93 && bytes[1] === 0x4e) return ': this looks like a single .npy array, not an .npz';
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) {
    return ': this looks like a Python pickle (.pkl); load it in Python and save the arrays with numpy.savez';
  }
  return '';
}

let crcTables: Uint32Array[] | undefined;

/**
 * CRC-32 (IEEE, as zip uses), slicing-by-8 (8 table lookups per 8 bytes: ~3× the bytewise speed on
 * 100 MB model files). fflate computes CRCs internally but does not export them.
 */
function crc32(data: Uint8Array): number {
  if (!crcTables) {
    crcTables = Array.from({ length: 8 }, () => new Uint32Array(256));
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTables[0][n] = c;
    }
    for (let n = 0; n < 256; n++) {
      for (let t = 1; t < 8; t++) crcTables[t][n] = (crcTables[t - 1][n] >>> 8) ^ crcTables[0][crcTables[t - 1][n] & 0xff];
    }
  }
  const [t0, t1, t2, t3, t4, t5, t6, t7] = crcTables;
  let crc = 0xffffffff;
  let i = 0;
  const n8 = data.length & ~7;
  for (; i < n8; i += 8) {
    const a = (crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    crc =
      t7[a & 0xff] ^ t6[(a >>> 8) & 0xff] ^ t5[(a >>> 16) & 0xff] ^ t4[a >>> 24] ^
      t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
  }
  for (; i < data.length; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
