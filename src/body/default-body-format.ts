/**
 * Decoder of the default-body asset (`assets/default-body.bin`, written by scripts/body/asset-writer.mjs).
 *
 * File: 8 bytes ASCII magic `GADBODY2`, u32 LE payload length, then the payload compressed as one
 * zlib stream. Payload, little-endian, every section padded to a multiple of 4 bytes, in order:
 *
 * | section        | type × count      | meaning                                                        |
 * |----------------|-------------------|----------------------------------------------------------------|
 * | header         | u32 × 8           | V, F, T, J, B, weight entries W, regressor entries R, 0          |
 * | quantisation   | f32 × 8           | position offset x y z, position step x y z, shape step, 0 (m)   |
 * | vTemplate      | Δu16 × V·3        | T-pose rest vertices, axis-major: x = offset + q·step (y up, facing +z, left = +x) |
 * | faces          | Δu16 × F·3        | triangles, counter-clockwise seen from outside                  |
 * | uvs            | Δu16 × T·2        | texture coordinates, axis-major, u = q / 65535 (u right, v up)  |
 * | uvFaces        | Δu16 × F·3        | per-face-corner indices into uvs                               |
 * | parents        | i32 × J           | SMPL kinematic tree, −1 for the root                            |
 * | weightCount    | u8 × V            | non-zero skinning weights of each vertex                        |
 * | weightJoint    | u8 × W            | joint of each entry (vertex-major)                             |
 * | weightValue    | u16 × W           | its weight · 65535 (renormalised so each vertex sums to 1)      |
 * | regressorStart | u32 × (J+1)       | CSR row starts of the joint regressor                          |
 * | regressorVertex| u32 × R           | vertex of each entry                                           |
 * | regressorValue | f32 × R           | its weight (each row sums to 1)                                |
 * | shapedirs      | Δi16 × B·3·V      | shape components, index (b·3 + c)·V + v, metres = q·shape step  |
 *
 * Δu16/Δi16 × n: n 16-bit values q, stored as the zigzag of each one's difference to the previous
 * one (mod 2¹⁶; the first to 0), low bytes of all n, then high bytes of all n: neighbouring vertices
 * have close values, and zlib compresses the small, repetitive low and high bytes far better than
 * the raw values. Quantisation loss (tests/body/default-body-quantisation.test.ts): vertices within
 * half a position step (≤ 14 µm), shape components within 2.5 µm per unit β, weights within 1/131070.
 */
import { unzlibSync } from 'fflate';
import { AvatarFormatError } from '../errors.js';
import type { BodyModelData } from './types.js';

export const DEFAULT_BODY_MAGIC = 'GADBODY2';
const U16_MAX = 65535;
/** Refuse to allocate for a corrupted length field (the real payload is about 1.4 MB). */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** Reads sections one after another from the payload, checking bounds. */
class SectionReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  private take(name: string, byteLength: number): Uint8Array {
    if (this.offset + byteLength > this.bytes.length) {
      throw new AvatarFormatError(`default body.${name}: expected ${byteLength} bytes at ${this.offset}, payload has ${this.bytes.length}`);
    }
    // Copy so every typed array is aligned and owns its buffer.
    const out = this.bytes.slice(this.offset, this.offset + byteLength);
    this.offset += Math.ceil(byteLength / 4) * 4;
    return out;
  }

  u8(name: string, n: number): Uint8Array { return this.take(name, n); }
  u16(name: string, n: number): Uint16Array { return new Uint16Array(this.take(name, n * 2).buffer); }
  u32(name: string, n: number): Uint32Array { return new Uint32Array(this.take(name, n * 4).buffer); }
  i32(name: string, n: number): Int32Array { return new Int32Array(this.take(name, n * 4).buffer); }
  f32(name: string, n: number): Float32Array { return new Float32Array(this.take(name, n * 4).buffer); }
  /** n delta-coded 16-bit values (see the Δu16 layout above), as unsigned 0…65535. */
  deltaU16(name: string, n: number): Uint16Array {
    const planes = this.take(name, n * 2);
    const out = new Uint16Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const z = planes[i]! | (planes[n + i]! << 8);
      prev = (prev + ((z >>> 1) ^ -(z & 1))) & 0xffff;
      out[i] = prev;
    }
    return out;
  }
  /** As deltaU16, read as signed −32768…32767. */
  deltaI16(name: string, n: number): Int16Array { return new Int16Array(this.deltaU16(name, n).buffer); }

  get remaining(): number { return this.bytes.length - this.offset; }
}

function checkIndices(name: string, values: ArrayLike<number>, limit: number): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] >= limit) throw new AvatarFormatError(`default body.${name}: expected indices < ${limit}, got ${values[i]} at ${i}`);
  }
}

/** Decodes the asset into dense BodyModelData (weights V×J, jRegressor J×V, shapedirs V×3×B, posedirs empty). */
export function decodeDefaultBody(file: Uint8Array): BodyModelData {
  if (file.length < 12) throw new AvatarFormatError(`default body: expected at least 12 bytes, got ${file.length}`);
  const magic = String.fromCharCode(...file.subarray(0, 8));
  if (magic !== DEFAULT_BODY_MAGIC) throw new AvatarFormatError(`default body.magic: expected ${DEFAULT_BODY_MAGIC}, got ${JSON.stringify(magic)}`);
  const payloadLength = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(8, true);
  if (payloadLength > MAX_PAYLOAD_BYTES) {
    throw new AvatarFormatError(`default body.payloadLength: expected at most ${MAX_PAYLOAD_BYTES} bytes, got ${payloadLength}`);
  }
  let payload: Uint8Array;
  try {
    payload = unzlibSync(file.subarray(12), { out: new Uint8Array(payloadLength) });
  } catch (cause) {
    throw new AvatarFormatError(`default body.payload: expected a zlib stream of ${payloadLength} bytes`, { cause });
  }
  const r = new SectionReader(payload);
  const [V, F, T, J, B, W, R] = r.u32('header', 8);
  const quantisation = r.f32('quantisation', 8);
  const position = r.deltaU16('vTemplate', V * 3);
  const faces = Uint32Array.from(r.deltaU16('faces', F * 3));
  const uvQuantised = r.deltaU16('uvs', T * 2);
  const uvFaces = Uint32Array.from(r.deltaU16('uvFaces', F * 3));
  const parents = r.i32('parents', J);
  const weightCount = r.u8('weightCount', V);
  const weightJoint = r.u8('weightJoint', W);
  const weightValue = r.u16('weightValue', W);
  const regressorStart = r.u32('regressorStart', J + 1);
  const regressorVertex = r.u32('regressorVertex', R);
  const regressorValue = r.f32('regressorValue', R);
  const shapeQuantised = r.deltaI16('shapedirs', B * 3 * V);
  if (r.remaining !== 0) throw new AvatarFormatError(`default body.payload: expected it to end after shapedirs, ${r.remaining} bytes left`);
  checkIndices('faces', faces, V);
  checkIndices('uvFaces', uvFaces, T);
  checkIndices('weightJoint', weightJoint, J);
  checkIndices('regressorVertex', regressorVertex, V);
  if (regressorStart[J] !== R) throw new AvatarFormatError(`default body.regressorStart: expected to end at ${R}, got ${regressorStart[J]}`);

  const vTemplate = new Float32Array(V * 3);
  for (let c = 0; c < 3; c++) {
    const offset = quantisation[c]!, step = quantisation[3 + c]!;
    for (let v = 0; v < V; v++) vTemplate[v * 3 + c] = offset + position[c * V + v]! * step;
  }
  const uvs = new Float32Array(T * 2);
  for (let c = 0; c < 2; c++) for (let t = 0; t < T; t++) uvs[t * 2 + c] = uvQuantised[c * T + t]! / U16_MAX;

  // Skinning weights: sparse → V×J, renormalised in f32 so every row sums to 1.
  const weights = new Float32Array(V * J);
  let entry = 0;
  for (let v = 0; v < V; v++) {
    let sum = 0;
    for (let k = 0; k < weightCount[v]; k++, entry++) sum += weightValue[entry];
    if (!(sum > 0)) throw new AvatarFormatError(`default body.weightValue: expected vertex ${v}'s weights to sum to > 0, got ${sum}`);
    for (let k = entry - weightCount[v]; k < entry; k++) weights[v * J + weightJoint[k]] += weightValue[k] / sum;
  }
  if (entry !== W) throw new AvatarFormatError(`default body.weightCount: expected counts summing to ${W}, got ${entry}`);

  const jRegressor = new Float32Array(J * V);
  for (let j = 0; j < J; j++) {
    for (let k = regressorStart[j]; k < regressorStart[j + 1]; k++) jRegressor[j * V + regressorVertex[k]] += regressorValue[k];
  }

  const shapeStep = quantisation[6]!;
  const shapedirs = new Float32Array(V * 3 * B);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < V * 3; i++) shapedirs[i * B + b] = shapeQuantised[b * V * 3 + (i % 3) * V + Math.floor(i / 3)]! * shapeStep;
  }

  return {
    vTemplate, shapedirs, numBetas: B, posedirs: new Float32Array(0), jRegressor, weights, parents, faces, uvs, uvFaces,
  };
}
