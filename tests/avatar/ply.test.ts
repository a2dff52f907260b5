import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { EXPORT_OPACITY_LOGIT, SH_C0, exportPly, parsePly } from '../../src/avatar/ply.js';
import { linearToSrgb, srgbToLinear } from '../../src/color/srgb.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AvatarFormatError, AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import { sameBytes } from './avatar-fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const throwsFormat = (bytes: Uint8Array, pattern: RegExp) =>
  assert.throws(() => parsePly(bytes), (e: unknown) => {
    assert.ok(e instanceof AvatarFormatError, `expected AvatarFormatError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  });

describe('exportPly', () => {
  let avatar: Avatar;
  const pose = new Float32Array(72).map((_, i) => 0.25 * Math.sin(1.7 * i));
  const trans = new Float32Array([0.3, -0.1, 2]);
  before(async () => (avatar = await createDefaultAvatar({ resolution: 48 })));
  after(() => avatar.body.dispose());

  it('writes the 3DGS layout: binary little endian, 17 float properties in the standard order', () => {
    const bytes = exportPly(avatar, { pose, trans });
    const N = avatar.gaussians.count;
    const text = new TextDecoder('latin1').decode(bytes.subarray(0, 600));
    const header = text.slice(0, text.indexOf('end_header\n') + 'end_header\n'.length);
    const props = [...header.matchAll(/^property float (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual(props, ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity',
      'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3']);
    assert.ok(header.startsWith('ply\nformat binary_little_endian 1.0\n'));
    assert.match(header, new RegExp(`^element vertex ${N}$`, 'm'));
    assert.equal(bytes.length, header.length + N * 17 * 4);
  });

  it('parses back to exactly the posed positions of poseGaussians, with colours, scales, opacity and rotation', () => {
    const bytes = exportPly(avatar, { pose, trans });
    const ply = parsePly(bytes);
    const posed = poseGaussians(avatar, { pose, trans });
    const N = avatar.gaussians.count;
    assert.equal(ply.count, N);
    assert.equal(ply.format, 'binary_little_endian');
    assert.ok(sameBytes(ply.positions, posed.positions), 'positions bit-exact');
    let maxColor = 0, maxScale = 0;
    for (let i = 0; i < N; i++) {
      for (let c = 0; c < 3; c++) {
        maxColor = Math.max(maxColor, Math.abs(ply.colors![i * 3 + c]! - avatar.gaussians.colors[i * 3 + c]!));
        // Isotropic: all three log-scales are log σ.
        maxScale = Math.max(maxScale, Math.abs(ply.scales![i * 3 + c]! / avatar.gaussians.scales[i]! - 1));
      }
      assert.deepEqual(Array.from(ply.rotations!.subarray(i * 4, i * 4 + 4)), [1, 0, 0, 0]);
      assert.equal(ply.properties.get('opacity')![i], EXPORT_OPACITY_LOGIT);
      assert.equal(ply.properties.get('nx')![i], 0);
    }
    assert.ok(maxColor < 1e-6, `colour round trip ${maxColor}`);
    assert.ok(maxScale < 1e-6, `scale round trip ${maxScale}`);
    assert.ok(Math.abs(ply.opacities![0]! - 1 / (1 + Math.exp(-EXPORT_OPACITY_LOGIT))) < 1e-7);
    // f_dc is the SH DC coefficient of the displayed (sRGB) colour, which viewers show as is:
    // linearToSrgb(c) = 0.5 + SH_C0 · f_dc, for every Gaussian and channel.
    const fdc = [0, 1, 2].map((c) => ply.properties.get(`f_dc_${c}`)!);
    let maxShown = 0, maxLinearGap = 0;
    for (let i = 0; i < N; i++) {
      for (let c = 0; c < 3; c++) {
        const linear = avatar.gaussians.colors[i * 3 + c]!;
        maxShown = Math.max(maxShown, Math.abs(0.5 + SH_C0 * fdc[c]![i]! - linearToSrgb(linear)));
        maxLinearGap = Math.max(maxLinearGap, Math.abs(0.5 + SH_C0 * fdc[c]![i]! - linear));
      }
    }
    assert.ok(maxShown < 1e-6, `f_dc vs the sRGB colour ${maxShown}`);
    assert.ok(maxLinearGap > 0.1, `f_dc is not the linear colour (largest gap ${maxLinearGap})`);
  });

  it('flipY rotates 180° about x: (x, −y, −z), not a mirror', () => {
    const up = parsePly(exportPly(avatar, { pose, trans })).positions;
    const down = parsePly(exportPly(avatar, { pose, trans, flipY: true })).positions;
    for (let i = 0; i < up.length; i += 3) {
      assert.equal(down[i], up[i]);
      assert.equal(down[i + 1], -up[i + 1]!);
      assert.equal(down[i + 2], -up[i + 2]!);
    }
  });

  it('bad arguments → AvatarInputError naming the field', () => {
    assert.throws(() => exportPly(avatar, { pose: new Float32Array(69) }), (e: unknown) => e instanceof AvatarInputError && /^pose: expected 72/.test((e as Error).message));
    assert.throws(() => exportPly(avatar, { pose, flipY: 'yes' as unknown as boolean }), (e: unknown) => e instanceof AvatarInputError && /^flipY: expected a boolean/.test((e as Error).message));
    assert.throws(() => exportPly(avatar, undefined as unknown as { pose: Float32Array }), AvatarInputError);
    assert.throws(() => exportPly(avatar, { pose, trans: [0, NaN, 0] }), (e: unknown) => e instanceof AvatarInputError && /^trans:/.test((e as Error).message));
  });
});

describe('parsePly', () => {
  it('reads ascii with comments, uchar colours, unknown properties and a later face element', () => {
    const ply = parsePly(enc(
      'ply\r\nformat ascii 1.0\r\ncomment made by hand\r\nelement vertex 2\r\nproperty float x\r\nproperty float y\r\n' +
      'property float z\r\nproperty uchar red\r\nproperty uchar green\r\nproperty uchar blue\r\nproperty double quality\r\n' +
      'element face 1\r\nproperty list uchar int vertex_indices\r\nend_header\r\n' +
      '1 2 3 255 0 51 0.5\n-1.5 0 1e-3 0 255 0 7\n3 0 1 1\n',
    ));
    assert.equal(ply.format, 'ascii');
    assert.deepEqual(Array.from(ply.positions), [1, 2, 3, -1.5, 0, Math.fround(1e-3)]);
    // uchar colours are display sRGB levels, read as linear RGB: 51 = sRGB 0.2 → linear 0.0331.
    assert.deepEqual(Array.from(ply.colors!), [1, 0, srgbToLinear(0.2), 0, 1, 0].map(Math.fround));
    assert.deepEqual(Array.from(ply.properties.get('quality')!), [0.5, 7]);
    assert.equal(ply.scales, undefined);
    assert.equal(ply.opacities, undefined);
  });

  it('reads binary big endian with doubles, a list inside the vertex row and an element before the vertices', () => {
    const header = enc('ply\nformat binary_big_endian 1.0\nelement camera 2\nproperty list uchar float k\nproperty short id\n' +
      'element vertex 2\nproperty double x\nproperty list ushort uchar tags\nproperty double y\nproperty int z\nproperty float opacity\nend_header\n');
    const body = new DataView(new ArrayBuffer(200));
    let at = 0;
    const u8 = (v: number) => body.setUint8(at++, v);
    const f32 = (v: number) => { body.setFloat32(at, v); at += 4; };
    // Two camera rows: list of 1 and 0 floats, then a short.
    u8(1); f32(9); body.setInt16(at, 5); at += 2;
    u8(0); body.setInt16(at, 6); at += 2;
    for (const [x, tags, y, z, o] of [[0.25, 2, -3, 7, 0], [1e10, 0, 2, -1, 100]] as const) {
      body.setFloat64(at, x); at += 8;
      body.setUint16(at, tags); at += 2;
      for (let k = 0; k < tags; k++) u8(k);
      body.setFloat64(at, y); at += 8;
      body.setInt32(at, z); at += 4;
      f32(o);
    }
    const ply = parsePly(concat(header, new Uint8Array(body.buffer, 0, at)));
    assert.deepEqual(Array.from(ply.positions), [0.25, -3, 7, 1e10, 2, -1].map(Math.fround));
    assert.deepEqual(Array.from(ply.opacities!), [0.5, 1]);
  });

  it('refuses malformed files with AvatarFormatError', () => {
    const good = 'ply\nformat binary_little_endian 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n';
    const data = new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer);
    assert.equal(parsePly(concat(enc(good), data)).count, 2);
    throwsFormat(enc('PLY\n'), /^ply: not a PLY file/);
    throwsFormat(new Uint8Array(0), /^ply: not a PLY file/);
    throwsFormat(enc('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n'), /no end_header line/);
    throwsFormat(concat(enc(good), data.subarray(0, 20)), /cannot fit|truncated/);
    throwsFormat(concat(enc(good.replace('vertex 2', 'vertex 99999999999999')), data), /^ply: vertex: 99999999999999 rows of 12 bytes cannot fit in the 24 remaining/);
    throwsFormat(concat(enc(good.replace('property float z\n', '')), data), /^ply: vertex: expected a scalar property "z"/);
    throwsFormat(concat(enc(good.replace('float y', 'float x')), data), /property "x" declared twice|expected a scalar property "y"/);
    throwsFormat(concat(enc(good.replace('float y', 'quad y')), data), /^ply: header line 5: expected "property <type> <name>"/);
    throwsFormat(concat(enc(good.replace('binary_little_endian', 'binary_middle_endian')), data), /unknown format "binary_middle_endian"/);
    throwsFormat(concat(enc(good.replace('element vertex 2', 'element face 2')), data), /declares no "vertex" element/);
    throwsFormat(concat(enc(good), new Uint8Array(new Float32Array([0, NaN, 2, 3, 4, 5]).buffer)), /^ply: vertex 0: position is not finite \(NaN\)/);
    throwsFormat(enc('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 zebra\n'), /"zebra" is not a number/);
    throwsFormat(enc('ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3 4\n'), /cannot fit|ends early/);
    assert.throws(() => parsePly('ply' as unknown as Uint8Array), AvatarInputError);
  });
});

describe('parsePly: input limits', () => {
  const ascii = (n: number) =>
    enc(`ply\nformat ascii 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nproperty list uchar int idx\nend_header\n` +
      Array.from({ length: n }, (_, i) => `${i} ${-i} 0.5 2 7 8`).join('\n') + '\n');

  it('ascii bodies are scanned value by value: lists skipped, every row read', () => {
    const ply = parsePly(ascii(3));
    assert.deepEqual(Array.from(ply.positions), [0, 0, 0.5, 1, -1, 0.5, 2, -2, 0.5]);
  });

  it('maxPlyBytes and maxPlyVertices refuse larger files before their columns are allocated', () => {
    const file = ascii(3);
    assert.throws(() => parsePly(file, { limits: { maxPlyBytes: 100 } }), (e: Error) =>
      e instanceof InputTooLargeError && e.message === `ply: ${file.length} bytes, above the limit of 100 bytes (raise it with limits.maxPlyBytes)`);
    assert.throws(() => parsePly(file, { limits: { maxPlyVertices: 2 } }), (e: Error) =>
      e instanceof InputTooLargeError && e.message === 'ply: element vertex: 3 vertices, above the limit of 2 vertices (raise it with limits.maxPlyVertices)');
    assert.equal(parsePly(file, { limits: { maxPlyVertices: 3, maxPlyBytes: file.length } }).count, 3);
    assert.throws(() => parsePly(file, { limits: { maxPlyVertex: 3 } as never }), (e: Error) => e instanceof AvatarInputError && /^options\.limits\.maxPlyVertex: unknown limit/.test(e.message));
  });
});
