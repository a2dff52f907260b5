// Test-side writer of real .npy / .npz files, byte-for-byte in numpy's layout (magic, version,
// little-endian header length, a Python-dict header padded with spaces to a 64-byte boundary and
// ending in '\n', then the raw elements), zipped by fflate (level 0 = stored, level 6 = deflated).
import { zipSync } from 'fflate';

export interface NpySpec {
  /** numpy dtype string: `<f4`, `>f8`, `<f2`, `|i1`, `<i8`, `>u4`, `|b1`, `<U6`, `>U3`, `|S5`, … */
  dtype: string;
  shape: number[];
  /** Elements in C (row-major) order; bigint for 8-byte ints allowed, strings for U/S. */
  values: ArrayLike<number | bigint | boolean | string>;
  /** Write the elements in Fortran (column-major) order with `fortran_order: True`. */
  fortranOrder?: boolean;
  /** npy format version (1, 2 or 3). Default 1. */
  version?: 1 | 2 | 3;
}

/** Python repr of a shape tuple: `()`, `(5,)`, `(3, 4)`. */
function shapeRepr(shape: number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** C-order index → Fortran-order position permutation, written out for any rank. */
function fortranOrder<T>(values: ArrayLike<T>, shape: number[]): T[] {
  const n = values.length;
  const out = new Array<T>(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let k = shape.length - 1; k >= 0; k--) f = f * shape[k] + index[k];
    out[f] = values[c];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

function float16Bits(x: number): number {
  // Round-to-nearest-even float → half conversion via float32 bits (enough for test values).
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  const mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >>> (1 - e + 13);
    return sign | m;
  }
  let half = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return half;
}

/** Encodes one array as a complete .npy file. */
export function writeNpy(spec: NpySpec): Uint8Array {
  const version = spec.version ?? 1;
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(spec.dtype);
  if (!m) throw new Error(`npz-writer: bad dtype ${spec.dtype}`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const little = order !== '>';
  const count = spec.shape.reduce((a, b) => a * b, 1);
  if (count !== spec.values.length) throw new Error(`npz-writer: ${spec.values.length} values for shape ${spec.shape}`);
  const values = spec.fortranOrder ? fortranOrder(spec.values, spec.shape) : Array.from(spec.values);

  const itemSize = kind === 'U' ? size * 4 : size;
  const data = new Uint8Array(count * itemSize);
  const dv = new DataView(data.buffer);
  values.forEach((v, i) => {
    const at = i * itemSize;
    switch (kind) {
      case 'f':
        if (size === 2) dv.setUint16(at, float16Bits(Number(v)), little);
        else if (size === 4) dv.setFloat32(at, Number(v), little);
        else dv.setFloat64(at, Number(v), little);
        break;
      case 'i':
        if (size === 1) dv.setInt8(at, Number(v));
        else if (size === 2) dv.setInt16(at, Number(v), little);
        else if (size === 4) dv.setInt32(at, Number(v), little);
        else dv.setBigInt64(at, BigInt(v as number | bigint), little);
        break;
      case 'u':
        if (size === 1) dv.setUint8(at, Number(v));
        else if (size === 2) dv.setUint16(at, Number(v), little);
        else if (size === 4) dv.setUint32(at, Number(v), little);
        else dv.setBigUint64(at, BigInt(v as number | bigint), little);
        break;
      case 'b':
        dv.setUint8(at, v ? 1 : 0);
        break;
      case 'U': {
        const cps = Array.from(String(v), (ch) => ch.codePointAt(0)!);
        if (cps.length > size) throw new Error(`npz-writer: '${v}' longer than ${spec.dtype}`);
        cps.forEach((cp, k) => dv.setUint32(at + 4 * k, cp, little));
        break;
      }
      case 'S': {
        const s = String(v);
        if (s.length > size) throw new Error(`npz-writer: '${v}' longer than ${spec.dtype}`);
        for (let k = 0; k < s.length; k++) data[at + k] = s.charCodeAt(k);
        break;
      }
      default:
        throw new Error(`npz-writer: unsupported kind ${kind}`);
    }
  });

  const dict = `{'descr': '${spec.dtype}', 'fortran_order': ${spec.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeRepr(spec.shape)}, }`;
  const prefix = version === 1 ? 10 : 12;
  let header = dict;
  const total = prefix + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(prefix + headerBytes.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const hv = new DataView(out.buffer);
  if (version === 1) hv.setUint16(8, headerBytes.length, true);
  else hv.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, prefix);
  out.set(data, prefix + headerBytes.length);
  return out;
}

/**
 * Zips arrays into an .npz (entry `name.npy` per array). `level` 0 stores the entries, 6 deflates
 * them (what `numpy.savez` / `savez_compressed` do). A Uint8Array value is stored as given (raw .npy).
 */
export function writeNpz(arrays: Record<string, NpySpec | Uint8Array>, level: 0 | 6 = 0): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, spec] of Object.entries(arrays)) {
    files[`${name}.npy`] = [spec instanceof Uint8Array ? spec : writeNpy(spec), { level }];
  }
  return zipSync(files);
}
