/**
 * Writer of numpy `.npy` arrays (format version 1.0), byte for byte what `numpy.save` writes for
 * little-endian float32 / uint32 / int32 arrays in C order: the `\x93NUMPY` magic, version 1.0, a
 * little-endian u16 header length, a Python-dict header padded with spaces to a 64-byte boundary and
 * ending in `\n`, then the raw elements. `parseNpy` (./npy.ts) reads these back.
 */
import { AvatarInputError, describeValue } from '../errors.js';

/** Arrays this writer stores, with their numpy dtype. */
export type NpyWritable = Float32Array | Uint32Array | Int32Array;

/** numpy dtype string of a writable array: `<f4`, `<u4` or `<i4`. */
export function npyDtypeOf(data: NpyWritable): '<f4' | '<u4' | '<i4' {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int32Array) return '<i4';
  throw new AvatarInputError(`npy: expected a Float32Array, Uint32Array or Int32Array, got ${describeValue(data)}`);
}

/** Python repr of a shape tuple, as numpy writes it: `()`, `(5,)`, `(3, 4)`. */
function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** True when this machine stores typed arrays little-endian (every browser and Node platform in practice). */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes `data` (elements in C order) as an `.npy` file of the given `shape` (outermost first).
 * Throws AvatarInputError when the shape is not a list of non-negative integers whose product is
 * `data.length`, or `label` names the array in that message.
 */
export function writeNpy(data: NpyWritable, shape: readonly number[], label = 'npy'): Uint8Array {
  const dtype = npyDtypeOf(data);
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new AvatarInputError(`${label}: shape must be non-negative integers, got (${shape.join(', ')})`);
    }
    count *= d;
  }
  if (count !== data.length) {
    throw new AvatarInputError(`${label}: shape (${shape.join(', ')}) holds ${count} elements, the array has ${data.length}`);
  }
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  // Magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of 64 bytes.
  const unpadded = 10 + dict.length + 1;
  const headerLength = dict.length + 1 + ((64 - (unpadded % 64)) % 64);
  const out = new Uint8Array(10 + headerLength + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLength & 0xff, headerLength >> 8]);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  out.fill(0x20, 10 + dict.length, 10 + headerLength - 1);
  out[10 + headerLength - 1] = 0x0a;
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, 10 + headerLength);
  if (!LITTLE_ENDIAN_HOST) {
    for (let at = 10 + headerLength; at < out.length; at += 4) {
      [out[at], out[at + 1], out[at + 2], out[at + 3]] = [out[at + 3], out[at + 2], out[at + 1], out[at]];
    }
  }
  return out;
}
