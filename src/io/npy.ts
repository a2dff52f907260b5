/**
 * Reader for numpy `.npy` arrays (format versions 1.0, 2.0 and 3.0).
 *
 * Supported dtypes: f2 f4 f8, i1 i2 i4 i8, u1 u2 u4 u8, b1, `U<n>` (UTF-32 strings) and `S<n>` (byte
 * strings), little or big endian, C or Fortran order. Object arrays (`|O`, pickled Python objects),
 * structured, complex and datetime dtypes are refused with an AvatarFormatError: pickles cannot be read
 * safely. Every size in the header is checked against the bytes present before anything is allocated.
 */
import { AvatarFormatError } from '../errors.js';

/** The element array of an npy file, in the file's element order (see `NpyArray.fortranOrder`). */
export type NpyData =
  | Float32Array // f2 (decoded to float32) and f4
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array // u1 and b1 (0 / 1)
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[]; // U and S

/** One decoded npy array. */
export interface NpyArray {
  /** The dtype string exactly as in the header, e.g. `<f4`, `>i8`, `|b1`, `<U6`, `|S5`. */
  dtype: string;
  /** Dimensions, outermost first (numpy's `shape`); `[]` for a scalar. */
  shape: number[];
  /** True when `data` is in Fortran (column-major) element order; use `npyToFloat32` & co. for C order. */
  fortranOrder: boolean;
  /** Elements in file order, converted to native (little-endian) typed arrays. Length = product of `shape`. */
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Kind letter (numpy `dtype.kind`-like) and item size in bytes of a supported dtype string. */
interface DtypeInfo {
  kind: 'f' | 'i' | 'u' | 'b' | 'U' | 'S';
  itemSize: number;
  bigEndian: boolean;
}

/**
 * Parses a whole `.npy` file. `label` prefixes every error message (e.g. the npz field name).
 * Throws AvatarFormatError for anything malformed or unsupported.
 */
export function parseNpy(bytes: Uint8Array, label = 'npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new AvatarFormatError(`${label}: not an .npy array (missing the \\x93NUMPY magic)`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) {
    throw new AvatarFormatError(`${label}: npy format version ${major}.${minor} is not supported (expected 1.0, 2.0 or 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) throw new AvatarFormatError(`${label}: truncated npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (prefix + headerLength > bytes.length) {
    throw new AvatarFormatError(
      `${label}: npy header claims ${headerLength} bytes but only ${bytes.length - prefix} follow`,
    );
  }
  const headerBytes = bytes.subarray(prefix, prefix + headerLength);
  // Versions 1 and 2 store the header as latin1, version 3 as UTF-8.
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const header = parseHeader(headerText, label);
  const info = dtypeInfo(header.descr, label);

  const dataStart = prefix + headerLength;
  const available = bytes.length - dataStart;
  const count = checkedElementCount(header.shape, info.itemSize, available, label);
  if (count * info.itemSize !== available) {
    throw new AvatarFormatError(
      `${label}: shape (${header.shape.join(', ')}) of ${header.descr} needs ${count * info.itemSize} data bytes, ` +
        `file has ${available}`,
    );
  }
  const raw = new Uint8Array(available); // own, aligned copy (Node Buffer#slice would not copy)
  raw.set(bytes.subarray(dataStart));
  return {
    dtype: header.descr,
    shape: header.shape,
    fortranOrder: header.fortranOrder,
    data: decodeData(raw, info, count, label),
  };
}

/** Product of the dims, refusing (before any allocation) one that cannot fit in `available` bytes. */
function checkedElementCount(shape: number[], itemSize: number, available: number, label: string): number {
  if (shape.includes(0)) return 0;
  const maxElements = Math.floor(available / itemSize);
  let count = 1;
  for (const dim of shape) {
    if (dim > maxElements || count > maxElements / dim) {
      throw new AvatarFormatError(
        `${label}: shape (${shape.join(', ')}) needs more than the ${available} data bytes present`,
      );
    }
    count *= dim;
  }
  return count;
}

function dtypeInfo(descr: string, label: string): DtypeInfo {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (!m) {
    throw new AvatarFormatError(`${label}: unsupported dtype '${descr}' (structured dtypes cannot be read)`);
  }
  const [, order, kind, sizeText] = m;
  if (kind === 'O') {
    throw new AvatarFormatError(
      `${label}: dtype '${descr}' is an array of pickled Python objects, which cannot be read; ` +
        'save it as a plain numeric array (e.g. a scipy.sparse matrix via .toarray())',
    );
  }
  const size = sizeText === '' ? NaN : Number(sizeText);
  const bigEndian = order === '>';
  const numeric: Record<string, number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
  if (kind in numeric) {
    if (!numeric[kind].includes(size)) throw new AvatarFormatError(`${label}: unsupported dtype '${descr}'`);
    return { kind: kind as DtypeInfo['kind'], itemSize: size, bigEndian };
  }
  if (kind === 'U' || kind === 'S') {
    if (!(size >= 1) || !Number.isSafeInteger(size)) {
      throw new AvatarFormatError(`${label}: unsupported dtype '${descr}' (string length must be ≥ 1)`);
    }
    const itemSize = kind === 'U' ? size * 4 : size;
    if (!Number.isSafeInteger(itemSize)) throw new AvatarFormatError(`${label}: unsupported dtype '${descr}'`);
    return { kind, itemSize, bigEndian };
  }
  throw new AvatarFormatError(
    `${label}: unsupported dtype '${descr}' (expected a float, int, uint, bool, U or S dtype)`,
  );
}

/** Turns the raw element bytes (an own copy, offset 0) into a native typed array or strings. */
function decodeData(raw: Uint8Array, info: DtypeInfo, count: number, label: string): NpyData {
  const { kind, itemSize } = info;
  if (kind === 'U') return decodeUtf32(raw, count, itemSize / 4, info.bigEndian, label);
  if (kind === 'S') return decodeByteStrings(raw, count, itemSize);
  if (info.bigEndian && itemSize > 1) swapBytes(raw, itemSize);
  const buffer = raw.buffer;
  switch (kind + itemSize) {
    case 'f2':
      return decodeFloat16(new Uint16Array(buffer, 0, count));
    case 'f4':
      return new Float32Array(buffer, 0, count);
    case 'f8':
      return new Float64Array(buffer, 0, count);
    case 'i1':
      return new Int8Array(buffer, 0, count);
    case 'i2':
      return new Int16Array(buffer, 0, count);
    case 'i4':
      return new Int32Array(buffer, 0, count);
    case 'i8':
      return new BigInt64Array(buffer, 0, count);
    case 'u1':
      return new Uint8Array(buffer, 0, count);
    case 'u2':
      return new Uint16Array(buffer, 0, count);
    case 'u4':
      return new Uint32Array(buffer, 0, count);
    case 'u8':
      return new BigUint64Array(buffer, 0, count);
    case 'b1': {
      const out = new Uint8Array(buffer, 0, count);
      for (let i = 0; i < count; i++) out[i] = out[i] !== 0 ? 1 : 0;
      return out;
    }
  }
  throw new AvatarFormatError(`${label}: unsupported dtype ${kind}${itemSize}`);
}

/** Reverses the bytes of every `itemSize`-byte element in place (big endian → little endian). */
function swapBytes(raw: Uint8Array, itemSize: number): void {
  for (let at = 0; at < raw.length; at += itemSize) {
    for (let a = at, b = at + itemSize - 1; a < b; a++, b--) {
      const t = raw[a];
      raw[a] = raw[b];
      raw[b] = t;
    }
  }
}

function decodeFloat16(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) out[i] = mantissa ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/** numpy `U<n>`: n UTF-32 code points per element, trailing NULs stripped. */
function decodeUtf32(raw: Uint8Array, count: number, chars: number, bigEndian: boolean, label: string): string[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: string[] = new Array(count);
  for (let e = 0; e < count; e++) {
    let end = chars;
    while (end > 0 && view.getUint32((e * chars + end - 1) * 4, !bigEndian) === 0) end--;
    let s = '';
    for (let c = 0; c < end; c++) {
      const cp = view.getUint32((e * chars + c) * 4, !bigEndian);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new AvatarFormatError(`${label}: string element ${e} holds an invalid code point 0x${cp.toString(16)}`);
      }
      s += String.fromCodePoint(cp);
    }
    out[e] = s;
  }
  return out;
}

/** numpy `S<n>`: n bytes per element (read as latin1, numpy's bytes), trailing NULs stripped. */
function decodeByteStrings(raw: Uint8Array, count: number, size: number): string[] {
  const out: string[] = new Array(count);
  for (let e = 0; e < count; e++) {
    let end = (e + 1) * size;
    while (end > e * size && raw[end - 1] === 0) end--;
    let s = '';
    for (let i = e * size; i < end; i++) s += String.fromCharCode(raw[i]);
    out[e] = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header: a Python dict literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

function parseHeader(text: string, label: string): NpyHeader {
  let value: PyValue;
  try {
    value = new PyLiteralParser(text).parseTop();
  } catch (e) {
    throw new AvatarFormatError(`${label}: unreadable npy header (${(e as Error).message})`);
  }
  if (!(value instanceof Map)) throw new AvatarFormatError(`${label}: npy header is not a dict`);
  const descr = value.get('descr');
  const fortran = value.get('fortran_order');
  const shape = value.get('shape');
  if (typeof descr !== 'string') {
    throw new AvatarFormatError(`${label}: npy header 'descr' must be a dtype string (structured dtypes cannot be read)`);
  }
  if (typeof fortran !== 'boolean') throw new AvatarFormatError(`${label}: npy header 'fortran_order' must be True or False`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new AvatarFormatError(`${label}: npy header 'shape' must be a tuple of non-negative integers`);
  }
  return { descr, fortranOrder: fortran, shape: shape as number[] };
}

/** A tiny parser for the literals numpy writes into headers: dicts, tuples, lists, str, int, bools. */
class PyLiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseTop(): PyValue {
    const v = this.value(0);
    this.skipSpace();
    if (this.pos !== this.text.length) throw new Error(`unexpected '${this.text[this.pos]}' at ${this.pos}`);
    return v;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(depth: number): PyValue {
    if (depth > 8) throw new Error('nested too deeply');
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === "'" || c === '"') return this.string();
    const word = /^[A-Za-z_]\w*|^[-+]?\d+[lL]?/.exec(this.text.slice(this.pos, this.pos + 40));
    if (!word) throw new Error(c === undefined ? 'unexpected end' : `unexpected '${c}' at ${this.pos}`);
    this.pos += word[0].length;
    const w = word[0];
    if (w === 'True') return true;
    if (w === 'False') return false;
    if (w === 'None') return null;
    if (/^[-+]?\d+[lL]?$/.test(w)) return Number(w.replace(/[lL]$/, '')); // Python 2 writes 6890L
    throw new Error(`unexpected name '${w}'`);
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) throw new Error(`expected '${ch}' at ${this.pos}`);
    this.pos++;
  }

  private dict(depth: number): Map<string, PyValue> {
    const out = new Map<string, PyValue>();
    this.expect('{');
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const key = this.value(depth + 1);
      if (typeof key !== 'string') throw new Error('dict key is not a string');
      this.expect(':');
      out.set(key, this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') throw new Error(`expected ',' or '}' at ${this.pos}`);
    }
    this.pos++;
    return out;
  }

  private sequence(close: string, depth: number): PyValue[] {
    const out: PyValue[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw new Error(`expected ',' or '${close}' at ${this.pos}`);
    }
    this.pos++;
    return out;
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let s = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      s += this.text[this.pos++] ?? '';
    }
    if (this.pos >= this.text.length) throw new Error('unterminated string');
    this.pos++;
    return s;
  }
}
