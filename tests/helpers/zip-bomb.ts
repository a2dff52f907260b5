// Test-side builders of hostile zip archives: a raw deflate stream that inflates to any number of
// zero bytes (generated on the fly, ~6.3 MB per GB: nothing large is committed), and a zip writer
// that takes entries already compressed, so an entry's data and its declared sizes can disagree.
import { deflateSync, unzipSync } from 'fflate';

/** Bits packed LSB-first into bytes, as deflate stores them. */
class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  private acc = 0;
  private bits = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** The low `n` (≤ 24) bits of `value`, least significant first. */
  write(value: number, n: number): void {
    this.acc |= value << this.bits;
    this.bits += n;
    while (this.bits >= 8) {
      this.bytes[this.length++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.bits -= 8;
    }
  }

  finish(): Uint8Array {
    if (this.bits > 0) this.bytes[this.length++] = this.acc & 0xff;
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * A raw deflate stream (one fixed-Huffman block) that inflates to exactly `size` zero bytes: a
 * literal 0, then as many (length 258, distance 1) copies as fit, then literal zeros for the rest.
 */
export function deflatedZeros(size: number): Uint8Array {
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`deflatedZeros: size must be an integer ≥ 1, got ${size}`);
  const copies = Math.floor((size - 1) / 258);
  const literals = size - 1 - copies * 258;
  const writer = new BitWriter(Math.ceil(((1 + literals) * 8 + copies * 13 + 10) / 8) + 1);
  writer.write(1, 1); // BFINAL
  writer.write(1, 2); // BTYPE 01: fixed Huffman codes
  // Huffman codes go most significant bit first, so each constant below is its code bit-reversed.
  const LITERAL_ZERO = 0b00001100; // code 00110000 (8 bits)
  const COPY_258_DIST_1 = 0b10100011; // length code 285 = 11000101 (8 bits), distance code 0 = 00000 (5 bits)
  writer.write(LITERAL_ZERO, 8);
  for (let i = 0; i < copies; i++) writer.write(COPY_258_DIST_1, 13);
  for (let i = 0; i < literals; i++) writer.write(LITERAL_ZERO, 8);
  writer.write(0, 7); // end of block: code 256 = 0000000
  return writer.finish();
}

/** One entry as it goes into the archive: already compressed, sizes and CRC as they should be declared. */
export interface RawZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  data: Uint8Array;
  uncompressedSize: number;
  crc32: number;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), bytewise: plain and slow, for the small entries of test archives. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A deflated entry holding `bytes`, with true sizes and CRC. */
export function deflatedEntry(name: string, bytes: Uint8Array): RawZipEntry {
  return { name, method: 8, data: deflateSync(bytes, { level: 1 }), uncompressedSize: bytes.length, crc32: crc32(bytes) };
}

/** Every entry of a (valid) zip, re-deflated with true sizes: the starting point for edits. */
export function rawEntriesOf(zip: Uint8Array): RawZipEntry[] {
  return Object.entries(unzipSync(zip)).map(([name, bytes]) => deflatedEntry(name, bytes));
}

/** A zip archive of `entries` (no zip64: every size and offset below 4 GiB), sizes as the entries declare them. */
export function writeRawZip(entries: RawZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = entries.map((e) => encoder.encode(e.name));
  const localSize = entries.reduce((s, e, i) => s + 30 + names[i].length + e.data.length, 0);
  const centralSize = names.reduce((s, n) => s + 46 + n.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  entries.forEach((e, i) => {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 8, e.method, true);
    view.setUint16(at + 12, 0x21, true); // 1980-01-01
    view.setUint32(at + 14, e.crc32, true);
    view.setUint32(at + 18, e.data.length, true);
    view.setUint32(at + 22, e.uncompressedSize, true);
    view.setUint16(at + 26, names[i].length, true);
    out.set(names[i], at + 30);
    out.set(e.data, at + 30 + names[i].length);
    at += 30 + names[i].length + e.data.length;
  });
  const centralStart = at;
  entries.forEach((e, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 10, e.method, true);
    view.setUint16(at + 14, 0x21, true);
    view.setUint32(at + 16, e.crc32, true);
    view.setUint32(at + 20, e.data.length, true);
    view.setUint32(at + 24, e.uncompressedSize, true);
    view.setUint16(at + 28, names[i].length, true);
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}
