import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { listNpz, readNpz } from '../../src/io/npz.js';
import { npyToFloat64 } from '../../src/io/npy-arrays.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { writeNpy, writeNpz, type NpySpec } from '../helpers/npz-writer.js';

const arrays: Record<string, NpySpec> = {
  a: { dtype: '<f4', shape: [2, 3], values: [0.5, -1, 2, 3.25, 4, -5] },
  b: { dtype: '>f8', shape: [3, 2], values: [1 / 3, 2, 3, 4, 5, 6e-300], fortranOrder: true },
  k: { dtype: '<i8', shape: [2, 3], values: [4294967295n, 0n, 0n, 0n, 1n, 2n] },
  u: { dtype: '<u4', shape: [2, 3], values: [0, 1, 2, 1, 2, 3], version: 2 },
  gender: { dtype: '<U6', shape: [], values: ['female'] },
  tag: { dtype: '|S3', shape: [2], values: ['smp', 'l'], version: 3 },
  flags: { dtype: '|b1', shape: [3], values: [true, false, true] },
};

for (const level of [0, 6] as const) {
  test(`${level ? 'deflated' : 'stored'} npz: every array read back exactly`, () => {
    const bytes = writeNpz(arrays, level);
    assert.deepEqual(listNpz(bytes).sort(), Object.keys(arrays).sort());
    const out = readNpz(bytes);
    assert.equal(out.size, Object.keys(arrays).length);
    assert.deepEqual(Array.from(npyToFloat64(out.get('a')!, 'a')), Array.from(arrays.a.values, (v) => Math.fround(v as number)));
    assert.deepEqual(Array.from(npyToFloat64(out.get('b')!, 'b')), arrays.b.values);
    assert.equal(out.get('b')!.fortranOrder, true);
    assert.deepEqual(Array.from(out.get('k')!.data as BigInt64Array), arrays.k.values);
    assert.deepEqual(Array.from(out.get('u')!.data as Uint32Array), arrays.u.values);
    assert.deepEqual(out.get('gender')!.data, ['female']);
    assert.deepEqual(out.get('gender')!.shape, []);
    assert.deepEqual(out.get('tag')!.data, ['smp', 'l']);
    assert.deepEqual(Array.from(out.get('flags')!.data as Uint8Array), [1, 0, 1]);
    // The archive must really be stored / deflated as asked (method field of the first local header).
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true), level ? 8 : 0);
  });
}

test('only: reads just the named arrays and skips unreadable (pickled) ones', () => {
  const pickled = writeNpy({ dtype: '<f4', shape: [1], values: [0] });
  // Turn '<f4' into '|O' — what np.savez writes for a dict / scipy.sparse field.
  const at = new TextDecoder('latin1').decode(pickled).indexOf("'<f4'");
  const objectNpy = pickled.slice();
  objectNpy.set(new TextEncoder().encode("'|O' "), at);
  for (const level of [0, 6] as const) {
    const bytes = writeNpz({ a: arrays.a, J_regressor_prior: objectNpy }, level);
    const out = readNpz(bytes, { only: ['a', 'missing'] });
    assert.deepEqual([...out.keys()], ['a']);
    assert.throws(
      () => readNpz(bytes),
      (e: Error) => e instanceof AvatarFormatError && /J_regressor_prior.*pickled/.test(e.message),
    );
  }
});

// Written by numpy 2.4 (`np.savez`, which forces zip64 local headers):
//   x = (np.arange(6, dtype='<f4') / 4).reshape(2, 3), gender = np.array(['female']),
//   pkl = np.array([{'a': 1}], dtype=object)
const NUMPY_SAVEZ =
  'UEsDBC0AAAAAAAAAIQAKnACk//////////8FABQAeC5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAgD4AAAA/AABAPwAAgD8AAKA/UEsDBC0AAAAAAAAAIQCPXI53//////////8KABQAZ2VuZGVyLm5weQEAEACYAAAAAAAAAJgAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPFU2JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApmAAAAZQAAAG0AAABhAAAAbAAAAGUAAABQSwMELQAAAAAAAAAhAHPqkXD//////////wcAFABwa2wubnB5AQAQAB0BAAAAAAAAHQEAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICd8TycsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgCoAElZIAAAAAAAAAjBZudW1weS5fY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZSMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLAYWUaAOMBWR0eXBllJOUjAJPOJSJiIeUUpQoSwOMAXyUTk5OSv////9K/////0s/dJRiiV2UfZSMAWGUSwFzYXSUYi5QSwECLQMtAAAAAAAAACEACpwApJgAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAeC5ucHlQSwECLQMtAAAAAAAAACEAj1yOd5gAAACYAAAACgAAAAAAAAAAAAAAgAHPAAAAZ2VuZGVyLm5weVBLAQItAy0AAAAAAAAAIQBz6pFwHQEAAB0BAAAHAAAAAAAAAAAAAACAAaMBAABwa2wubnB5UEsFBgAAAAADAAMAoAAAAPkCAAAAAA==';
// numpy 2.4 `np.savez_compressed`: y = np.asfortranarray(np.arange(24, dtype='>i8').reshape(2, 3, 4) - 5)
const NUMPY_SAVEZ_COMPRESSED =
  'UEsDBC0AAAAIAAAAIQCqJaTk//////////8FABQAeS5ucHkBABAAQAEAAAAAAACKAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaGuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaRjoKxjoKJpo6CrUKZAKu3/8hgJ0BAqDc/9xQPjOU5ofSf6DyHAyogAdKs0BpASj9F6qeE8pnhNK8UJoVSgtC6X9Q9VxQPhOU5oPSbFBaCEoDAFBLAQItAy0AAAAIAAAAIQCqJaTkigAAAEABAAAFAAAAAAAAAAAAAACAAQAAAAB5Lm5weVBLBQYAAAAAAQABADMAAADBAAAAAAA=';

test('reads files written by numpy itself (zip64 local headers, Node Buffer input)', () => {
  const saved = Buffer.from(NUMPY_SAVEZ, 'base64');
  const out = readNpz(saved, { only: ['x', 'gender'] });
  assert.deepEqual(Array.from(npyToFloat64(out.get('x')!, 'x')), [0, 1, 2, 3, 4, 5].map((i) => i / 4));
  assert.deepEqual(out.get('gender')!.data, ['female']);
  assert.deepEqual(Array.from(saved.subarray(0, 4)), [0x50, 0x4b, 3, 4], 'input left untouched');
  const compressed = readNpz(new Uint8Array(Buffer.from(NUMPY_SAVEZ_COMPRESSED, 'base64')).buffer);
  const y = compressed.get('y')!;
  assert.deepEqual(y.shape, [2, 3, 4]);
  assert.equal(y.fortranOrder, true);
  assert.deepEqual(Array.from(npyToFloat64(y, 'y')), Array.from({ length: 24 }, (_, i) => i - 5));
});

test('zip-bomb guard: a declared size above the cap is refused before inflating', () => {
  const big = new Float32Array(300_000); // 1.2 MB of zeros deflates to ~1 kB
  const bytes = writeNpz({ z: { dtype: '<f4', shape: [big.length], values: big } }, 6);
  assert.ok(bytes.length < 10_000);
  assert.throws(
    () => readNpz(bytes, { maxEntryBytes: 1_000_000 }),
    (e: Error) => e instanceof AvatarFormatError && /declares 1200\d+ bytes uncompressed, above the 1000000-byte limit/.test(e.message),
  );
  assert.equal((readNpz(bytes).get('z')!.data as Float32Array).length, big.length);
  // Below the cap but beyond what deflate can expand the entry to (~1032:1): refused before allocating.
  const lying = bytes.slice();
  new DataView(lying.buffer).setUint32(centralDirectory(lying) + 24, 900_000_000, true);
  assert.throws(() => readNpz(lying), (e: Error) => e instanceof AvatarFormatError && /declares 900000000 bytes from \d+ deflated bytes/.test(e.message));
});

/** Offset of the first central-directory record. */
function centralDirectory(bytes: Uint8Array): number {
  for (let i = bytes.length - 22; i >= 0; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      return new DataView(bytes.buffer, bytes.byteOffset).getUint32(i + 16, true);
    }
  }
  throw new Error('no EOCD');
}

test('lying zip size fields and corrupt data give AvatarFormatError', () => {
  for (const level of [0, 6] as const) {
    const good = writeNpz({ a: arrays.a }, level);
    const cd = centralDirectory(good);
    const edit = (at: number, value: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(at, value, true);
      return b;
    };
    const cases: [string, Uint8Array][] = [
      ['uncompressed size 4 GiB', edit(cd + 24, 0xfffffff0)],
      ['uncompressed size +1', edit(cd + 24, new DataView(good.buffer).getUint32(cd + 24, true) + 1)],
      ['compressed size past end', edit(cd + 20, 0x7fffffff)],
      ['local header offset past end', edit(cd + 42, 0x7fffff00)],
      ['wrong crc', edit(cd + 16, 12345)],
      ['entry count 65535', (() => { const b = good.slice(); new DataView(b.buffer).setUint16(b.length - 12, 0xffff, true); return b; })()],
      ['method 99', (() => { const b = good.slice(); new DataView(b.buffer).setUint16(cd + 10, 99, true); return b; })()],
      ['flipped data byte', (() => { const b = good.slice(); b[cd - 5] ^= 0x55; return b; })()],
      ['truncated', good.subarray(0, good.length - 30)],
      ['no zip at all', new TextEncoder().encode('hello world, not a zip file at all')],
      ['an .npy', writeNpy(arrays.a)],
      ['a pickle', Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e])],
      ['empty', new Uint8Array(0)],
    ];
    for (const [what, bytes] of cases) {
      assert.throws(() => readNpz(bytes), (e: Error) => e instanceof AvatarFormatError && e.message.startsWith('npz'), `${what} (level ${level})`);
    }
  }
  assert.throws(() => readNpz(writeNpy(arrays.a)), /single \.npy/);
  assert.throws(() => readNpz(Uint8Array.from([0x80, 0x02, 0x7d, 0x2e])), /pickle/);
});

test('zip64 entry count far beyond the directory size is refused at once', () => {
  // A zip64 end record declaring 2^32 entries (fflate's unzipSync would loop over them).
  const good = zipSync({ 'a.npy': writeNpy(arrays.a) });
  const cdOffset = centralDirectory(good);
  const eocd = good.length - 22;
  const z64 = new Uint8Array(56 + 20);
  const v = new DataView(z64.buffer);
  v.setUint32(0, 0x06064b50, true);
  v.setUint32(32, 0xffffffff, true); // entries (low word)
  v.setUint32(40, eocd - cdOffset, true);
  v.setUint32(48, cdOffset, true);
  v.setUint32(56, 0x07064b50, true);
  v.setUint32(56 + 8, eocd, true); // zip64 EOCD offset
  const bytes = new Uint8Array(good.length + z64.length);
  bytes.set(good.subarray(0, eocd));
  bytes.set(z64, eocd);
  bytes.set(good.subarray(eocd), eocd + z64.length);
  const t0 = performance.now();
  assert.throws(() => readNpz(bytes), (e: Error) => e instanceof AvatarFormatError && /declares 4294967295 entries/.test(e.message));
  assert.ok(performance.now() - t0 < 100);
});

test('bad calls: not bytes → AvatarInputError', () => {
  for (const bad of [undefined, null, 'PK', 42, {}, [1, 2, 3]]) {
    assert.throws(() => readNpz(bad as unknown as Uint8Array), (e: Error) => e instanceof AvatarInputError && /^npz: expected an ArrayBuffer or Uint8Array/.test(e.message));
  }
  const bytes = writeNpz({ a: arrays.a });
  assert.throws(() => readNpz(bytes, { only: 'a' as never }), (e: Error) => e instanceof AvatarInputError && /^options\.only: /.test(e.message));
  assert.throws(() => readNpz(bytes, { maxEntryBytes: NaN }), (e: Error) => e instanceof AvatarInputError && /^options\.maxEntryBytes: /.test(e.message));
  assert.throws(() => readNpz(bytes, null as never), (e: Error) => e instanceof AvatarInputError && /^options: /.test(e.message));
});
