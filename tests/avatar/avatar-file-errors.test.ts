import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, zipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { writeNpy } from '../../src/io/npy-write.js';
import { smallEmbeddedAvatar } from './avatar-fixtures.js';

type Entries = Record<string, Uint8Array>;
/** avatar.json as parsed, edited freely by the tests. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Unzips `file`, lets `edit` change the entries and the parsed avatar.json, zips it again. */
function rezip(file: Uint8Array, edit: (entries: Entries, json: Json) => void): Uint8Array {
  const entries = unzipSync(file) as Entries;
  const json = JSON.parse(new TextDecoder().decode(entries['avatar.json']));
  edit(entries, json);
  if (entries['avatar.json']) entries['avatar.json'] = new TextEncoder().encode(JSON.stringify(json));
  return zipSync(entries);
}

/** The float32 elements of an `.npy` entry (a copy). */
function floatsOf(entries: Entries, name: string): Float32Array {
  const bytes = entries[name]!;
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  return new Float32Array(bytes.slice(10 + headerLength).buffer);
}

async function rejects(file: Uint8Array | unknown, pattern: RegExp, type: typeof AvatarFormatError | typeof AvatarInputError = AvatarFormatError) {
  await assert.rejects(loadAvatar(file as Uint8Array), (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('loadAvatar refuses malformed files with a typed error naming the field', () => {
  let avatar: Avatar;
  let file: Uint8Array;
  let N: number;
  before(async () => {
    avatar = await smallEmbeddedAvatar({ seed: 21 });
    file = saveAvatar(avatar);
    N = avatar.gaussians.count;
  });
  after(() => avatar.body.dispose());

  it('not bytes → AvatarInputError; empty, random or non-zip bytes → AvatarFormatError', async () => {
    await rejects('avatar.gavatar', /^data: expected an ArrayBuffer or Uint8Array, got string/, AvatarInputError);
    await rejects(null, /^data: expected/, AvatarInputError);
    await rejects(new Uint8Array(0), /0 bytes/);
    await assert.rejects(loadAvatar(file, null as unknown as object), (e: unknown) => e instanceof AvatarInputError && /^options: expected \{ maxEntryBytes\?, limits\? \}, got null/.test((e as Error).message));
    await assert.rejects(loadAvatar(file, { maxEntryBytes: NaN }), (e: unknown) => e instanceof AvatarInputError && /^options\.maxEntryBytes/.test((e as Error).message));
    await rejects(new Uint8Array(1000).map((_, i) => (i * 7919) & 255), /not a zip archive/);
  });

  it('missing or unreadable avatar.json', async () => {
    await rejects(rezip(file, (e) => delete e['avatar.json']), /^avatar\.json: missing from the archive/);
    const entries = unzipSync(file);
    entries['avatar.json'] = new TextEncoder().encode('{ "format": ');
    await rejects(zipSync(entries), /^avatar\.json: not valid JSON/);
    entries['avatar.json'] = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    await rejects(zipSync(entries), /^avatar\.json: expected UTF-8/);
    entries['avatar.json'] = new TextEncoder().encode('[1, 2]');
    await rejects(zipSync(entries), /^avatar\.json: expected an object, got \[1,2\]/);
  });

  it('wrong format name, or a version from the future', async () => {
    await rejects(rezip(file, (_, j) => (j.format = 'gltf')), /^avatar\.json\.format: expected "gaussian-avatar", got "gltf"/);
    await rejects(rezip(file, (_, j) => (j.version = 7)), /^avatar\.json\.version: expected ≤ 1, got 7/);
    await rejects(rezip(file, (_, j) => (j.version = '1')), /^avatar\.json\.version: expected an integer ≥ 1, got "1"/);
    await rejects(rezip(file, (_, j) => delete j.version), /^avatar\.json\.version: .*missing/);
  });

  it('missing entries, directory rows or JSON fields', async () => {
    await rejects(rezip(file, (e) => delete e['gaussians/scales.npy']), /^gaussians\.scales: "gaussians\/scales\.npy": missing from the archive/);
    await rejects(rezip(file, (_, j) => delete j.arrays['gaussians/colors.npy']), /^gaussians\.colors: avatar\.json\.arrays has no "gaussians\/colors\.npy"/);
    await rejects(rezip(file, (_, j) => delete j.gaussians), /^avatar\.json\.gaussians: expected an object/);
    await rejects(rezip(file, (_, j) => delete j.body.numJoints), /^avatar\.json\.body\.numJoints: expected an integer/);
    await rejects(rezip(file, (_, j) => delete j.metadata.createdAt), /^metadata\.createdAt: expected an ISO 8601 string/);
    await rejects(rezip(file, (_, j) => (j.body.source = 'smplx')), /^avatar\.json\.bodySource: expected the same as avatar\.json\.body\.source/);
    await rejects(rezip(file, (_, j) => { j.body.source = 'smplx'; j.bodySource = 'smplx'; }), /^avatar\.json\.body\.source: expected "default" or "embedded", got "smplx"/);
  });

  it('N mismatches between arrays, the directory and gaussians.count', async () => {
    await rejects(rezip(file, (_, j) => (j.gaussians.count = N + 1)), new RegExp(`^gaussians\\.texels: expected <u4 \\(${N + 1}\\)`));
    await rejects(
      rezip(file, (_, j) => (j.arrays['gaussians/colors.npy'].shape = [N - 1, 3])),
      new RegExp(`^gaussians\\.colors: expected <f4 \\(${N}, 3\\), avatar\\.json\\.arrays\\["gaussians/colors\\.npy"\\] declares <f4 \\(${N - 1}, 3\\)`),
    );
    // Directory right, but the .npy itself holds N − 1 scales.
    await rejects(
      rezip(file, (e) => (e['gaussians/scales.npy'] = writeNpy(new Float32Array(N - 1).fill(0.01), [N - 1]))),
      new RegExp(`^gaussians\\.scales: "gaussians/scales\\.npy" holds <f4 \\(${N - 1}\\)`),
    );
    await rejects(rezip(file, (_, j) => (j.gaussians.count = 10 ** 9)), /^avatar\.json\.gaussians\.count: expected an integer in 0…256/);
  });

  it('wrong dtypes', async () => {
    await rejects(
      rezip(file, (e) => (e['gaussians/texels.npy'] = writeNpy(new Float32Array(N), [N]))),
      /^gaussians\.texels: "gaussians\/texels\.npy" holds <f4/,
    );
    await rejects(rezip(file, (_, j) => (j.arrays['gaussians/texels.npy'].dtype = '<f8')), /avatar\.json\.arrays\["gaussians\/texels\.npy"\]\.dtype: expected "<f4", "<u4" or "<i4", got "<f8"/);
  });

  it('NaN, non-normalised weights, negative scales, colours out of range, unsorted texels', async () => {
    const poke = (name: string, index: number, value: number) => rezip(file, (e) => {
      const f = floatsOf(e, name);
      f[index] = value;
      e[name] = writeNpy(f, JSON.parse(new TextDecoder().decode(e['avatar.json'])).arrays[name].shape);
    });
    await rejects(poke('gaussians/positions.npy', 5, NaN), /^gaussians\.positions: expected finite numbers, element 5 is NaN/);
    await rejects(poke('canonical_transforms.npy', 3, Infinity), /^canonicalTransforms: expected finite numbers, element 3 is Infinity/);
    await rejects(poke('gaussians/weights.npy', 24 * 2 + 1, 0.75), /^gaussians\.weights: row 2 sums to/);
    await rejects(poke('gaussians/scales.npy', 4, -0.01), /^gaussians\.scales: expected positive σ \(metres\), element 4 is -0\.0099/);
    await rejects(poke('gaussians/colors.npy', 7, 1.5), /^gaussians\.colors: expected values in 0…1, element 7 is 1\.5/);
    await rejects(poke('betas.npy', 0, NaN), /^betas: expected finite numbers/);
    const texels = rezip(file, (e) => {
      const t = new Uint32Array(avatar.gaussians.texels);
      [t[0], t[1]] = [t[1]!, t[0]!];
      e['gaussians/texels.npy'] = writeNpy(t, [N]);
    });
    await rejects(texels, /^gaussians\.texels: expected strictly increasing texel indices, element 1/);
  });

  it('huge declared sizes are refused before allocating', async () => {
    await rejects(rezip(file, (_, j) => (j.arrays['gaussians/weights.npy'].shape = [2 ** 20, 2 ** 20])), /\.shape: \(1048576, 1048576\) is too large/);
    await rejects(rezip(file, (_, j) => { j.gaussians.resolution = 4096; j.gaussians.count = 4096 * 4096; }), /^gaussians\.texels: expected <u4 \(16777216\), avatar\.json\.arrays/);
    // A zip entry that declares a huge uncompressed size (central directory patched): refused by size.
    const bytes = file.slice();
    const view = new DataView(bytes.buffer);
    let patched = 0;
    for (let at = 0; at + 46 < bytes.length; at++) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      if (name === 'gaussians/weights.npy') {
        view.setUint32(at + 24, 0xfffffff0, true);
        patched++;
      }
    }
    assert.equal(patched, 1);
    await rejects(bytes, /^gaussians\.weights: zip entry "gaussians\/weights\.npy" declares 4294967280 bytes uncompressed, above the \d+-byte limit/);
    await assert.rejects(loadAvatar(file, { maxEntryBytes: 100 }), (e: unknown) => e instanceof AvatarFormatError && /above the 100-byte limit/.test((e as Error).message));
  });

  it('flipped bits are caught by the zip CRC', async () => {
    const entries = unzipSync(file);
    const stored = zipSync(entries, { level: 0 });
    // Find the scales entry's data in the stored zip and flip a bit in it.
    const needle = entries['gaussians/scales.npy']!;
    let at = -1;
    for (let i = 0; i + needle.length <= stored.length && at < 0; i++) {
      let k = 0;
      while (k < needle.length && stored[i + k] === needle[k]) k++;
      if (k === needle.length) at = i;
    }
    assert.ok(at > 0);
    stored[at + 80]! ^= 4;
    await rejects(stored, /^gaussians\.scales: zip entry "gaussians\/scales\.npy" fails its CRC-32 check/);
  });

  it('a corrupt embedded body names body.<field>', async () => {
    await rejects(
      rezip(file, (e) => {
        const faces = unzipSync(file)['body/faces.npy']!;
        const h = faces[8]! | (faces[9]! << 8);
        const f = new Uint32Array(faces.slice(10 + h).buffer);
        f[4] = 99999;
        e['body/faces.npy'] = writeNpy(f, [f.length / 3, 3]);
      }),
      /^body\.faces: expected vertex indices < V = 40, got 99999 at index 4/,
    );
    await rejects(rezip(file, (_, j) => (j.body.numVertices = 41)), /^body\.vTemplate: expected <f4 \(41, 3\)/);
    await rejects(rezip(file, (_, j) => (j.body.poseCorrectives = 'yes')), /^avatar\.json\.body\.poseCorrectives: expected true or false/);
  });

  it('network: NaN tensors, duplicate names, missing tensor entries, bad config', async () => {
    await rejects(
      rezip(file, (e, j) => {
        const row = j.network.tensors.find((t: { name: string }) => t.name === 'decoder.0.weight');
        const f = floatsOf(e, row.entry);
        f[3] = NaN;
        e[row.entry] = writeNpy(f, [8, 3]);
      }),
      /^network\.tensors\.decoder\.0\.weight\.data: expected finite numbers, element 3 is NaN/,
    );
    await rejects(rezip(file, (_, j) => (j.network.tensors[1].name = j.network.tensors[0].name)), /^avatar\.json\.network\.tensors\[1\]\.name: expected a unique non-empty name/);
    await rejects(rezip(file, (_, j) => (j.network.tensors[0].entry = 'network/nope.npy')), /^network\.tensors\.feature: avatar\.json\.arrays has no "network\/nope\.npy"/);
    await rejects(rezip(file, (_, j) => (j.network.config.hidden = [8])), /^network\.config\.hidden: expected a finite number, string or boolean/);
    await rejects(rezip(file, (_, j) => (j.network.architecture = 3)), /^avatar\.json\.network\.architecture: expected a string, got 3/);
  });

  it('a default-body reference whose fingerprint differs from this package\'s default body', async () => {
    const def = await createDefaultAvatar({ resolution: 8 });
    try {
      const defFile = saveAvatar(def);
      await rejects(rezip(defFile, (_, j) => (j.body.fingerprint = 'fnv1a32x2:0000000000000000')), /^avatar\.json\.body\.fingerprint: the file was made with a different default body/);
      // Files made with the earlier float32 default body (within 0.05 mm of this one) still load.
      const earlier = await loadAvatar(rezip(defFile, (_, j) => (j.body.fingerprint = 'fnv1a32x2:034e4f7741cbfe94')));
      assert.equal(earlier.bodySource, 'default');
      earlier.body.dispose();
      const V = def.body.numVertices;
      await rejects(rezip(defFile, (_, j) => (j.body.numJoints = 23)), new RegExp(`^avatar\\.json\\.body: expected the default body's V, J, B = ${V}, 24, 10, got ${V}, 23, 10`));
    } finally {
      def.body.dispose();
    }
  });
});

describe('saveAvatar refuses inconsistent avatars with AvatarInputError naming the field', () => {
  let avatar: Avatar;
  before(async () => (avatar = await smallEmbeddedAvatar({ seed: 22 })));
  after(() => avatar.body.dispose());
  const throwsInput = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof AvatarInputError && pattern.test((e as Error).message));

  it('not an avatar, bad options', () => {
    throwsInput(() => saveAvatar(null as unknown as Avatar), /^avatar: expected an Avatar object, got null/);
    throwsInput(() => saveAvatar({ ...avatar, body: {} as Avatar['body'] }), /^body: expected a BodyModel/);
    throwsInput(() => saveAvatar(avatar, { level: 11 }), /^options\.level: expected an integer 0…9, got number 11/);
    throwsInput(() => saveAvatar(avatar, null as unknown as object), /^options: expected \{ level\?, embedBody\? \}, got null/);
    throwsInput(() => saveAvatar({ ...avatar, bodySource: 'smpl' as 'default' }), /^bodySource: expected "default" or "embedded"/);
  });

  it('arrays of the wrong length or with NaN, metadata that is not JSON', () => {
    const g = avatar.gaussians;
    throwsInput(() => saveAvatar({ ...avatar, gaussians: { ...g, positions: g.positions.subarray(3) } }), /^gaussians\.positions: expected N×3 = \d+×3 = \d+ float32 values/);
    const nan = g.scales.slice();
    nan[2] = NaN;
    throwsInput(() => saveAvatar({ ...avatar, gaussians: { ...g, scales: nan } }), /^gaussians\.scales: expected finite numbers, element 2 is NaN/);
    throwsInput(() => saveAvatar({ ...avatar, gaussians: { ...g, weights: Array.from(g.weights) as unknown as Float32Array } }), /^gaussians\.weights: expected N×J .* float32 \(Float32Array\), got Array/);
    throwsInput(() => saveAvatar({ ...avatar, betas: new Float32Array(3) }), /^betas: expected numBetas = 4 = 4 float32 values, got 3/);
    throwsInput(() => saveAvatar({ ...avatar, metadata: { ...avatar.metadata, big: 10n } }), /^metadata: expected JSON-serialisable values/);
  });

  it('bodySource "default" with a body that is not the default body', () => {
    throwsInput(() => saveAvatar({ ...avatar, bodySource: 'default' }), /^bodySource: "default", but avatar\.body is not this package's default body/);
  });
});
