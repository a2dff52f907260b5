import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { parseNpy } from '../../src/io/npy.js';
import { smallEmbeddedAvatar, sameBytes } from './avatar-fixtures.js';

/** Asserts that every array of `b` equals `a`'s byte for byte, and everything else deep-equals. */
function assertSameAvatar(a: Avatar, b: Avatar): void {
  assert.equal(b.bodySource, a.bodySource);
  assert.ok(sameBytes(a.betas, b.betas), 'betas');
  assert.ok(sameBytes(a.canonicalTransforms, b.canonicalTransforms), 'canonicalTransforms');
  assert.equal(b.gaussians.resolution, a.gaussians.resolution);
  assert.equal(b.gaussians.count, a.gaussians.count);
  for (const key of ['texels', 'positions', 'weights', 'colors', 'scales'] as const) {
    assert.ok(sameBytes(a.gaussians[key], b.gaussians[key]), `gaussians.${key}`);
  }
  assert.deepEqual(b.metadata, a.metadata);
  const da = a.body.data, db = b.body.data;
  assert.equal(db.numBetas, da.numBetas);
  for (const key of ['vTemplate', 'shapedirs', 'posedirs', 'jRegressor', 'weights', 'parents', 'faces', 'uvs', 'uvFaces'] as const) {
    if (da[key] === undefined) assert.equal(db[key], undefined, `body.${key}`);
    else assert.ok(sameBytes(da[key]!, db[key]!), `body.${key}`);
  }
  assert.equal(b.network === undefined, a.network === undefined);
  if (a.network && b.network) {
    assert.equal(b.network.architecture, a.network.architecture);
    assert.deepEqual(b.network.config, a.network.config);
    assert.deepEqual(Object.keys(b.network.tensors), Object.keys(a.network.tensors));
    for (const [name, t] of Object.entries(a.network.tensors)) {
      assert.deepEqual(b.network.tensors[name]!.shape, t.shape);
      assert.ok(sameBytes(t.data, b.network.tensors[name]!.data), `network.tensors.${name}`);
    }
  }
}

describe('.gavatar save → load', () => {
  it('round-trips the default avatar bit-exactly, storing the default body by reference', async () => {
    const avatar = await createDefaultAvatar();
    const t0 = performance.now();
    const file = saveAvatar(avatar);
    const t1 = performance.now();
    const loaded = await loadAvatar(file);
    const t2 = performance.now();
    try {
      assertSameAvatar(avatar, loaded);
      const entries = unzipSync(file);
      assert.ok(!Object.keys(entries).some((n) => n.startsWith('body/')), 'no body arrays stored for the default body');
      const json = JSON.parse(new TextDecoder().decode(entries['avatar.json']));
      assert.equal(json.format, 'gaussian-avatar');
      assert.equal(json.version, 1);
      assert.equal(json.body.source, 'default');
      assert.match(json.body.fingerprint, /^fnv1a32x2:[0-9a-f]{16}$/);
      // The posed body of the loaded avatar is the same default body.
      const pose = new Float32Array(72).map((_, i) => Math.sin(i) * 0.3);
      assert.ok(sameBytes(avatar.body.forward({ pose }).vertices, loaded.body.forward({ pose }).vertices));
      console.log(`default avatar N=${avatar.gaussians.count}: ${(file.length / 2 ** 20).toFixed(2)} MiB, save ${(t1 - t0).toFixed(0)} ms, load ${(t2 - t1).toFixed(0)} ms`);
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('round-trips an embedded random body and a network bit-exactly (−0, denormals, empty tensors)', async () => {
    const avatar = await smallEmbeddedAvatar();
    const loaded = await loadAvatar(saveAvatar(avatar, { level: 9 }));
    try {
      assert.ok(avatar.gaussians.count > 20, `the fixture covers texels (N = ${avatar.gaussians.count})`);
      assertSameAvatar(avatar, loaded);
      const bias = loaded.network!.tensors['decoder.0.bias']!.data;
      assert.ok(Object.is(bias[0], -0) && bias[1] === Math.fround(1e-40) && bias[1] > 0, 'special values survive');
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('round-trips a body without pose correctives or UVs, with no network, from an ArrayBuffer', async () => {
    const avatar = await smallEmbeddedAvatar({ seed: 3, network: false, posedirs: false });
    // Drop the UV layout once the Gaussians are built: the avatar no longer needs it.
    const { uvs: _uvs, uvFaces: _uvFaces, ...rest } = avatar.body.data;
    const { createBodyModel } = await import('../../src/body/body-model.js');
    const noUvBody = await createBodyModel(rest);
    avatar.body.dispose();
    avatar.body = noUvBody;
    const bytes = saveAvatar(avatar, { level: 0 });
    const loaded = await loadAvatar(bytes.slice().buffer);
    try {
      assertSameAvatar(avatar, loaded);
      assert.equal(loaded.body.data.uvs, undefined);
      assert.equal(loaded.body.data.posedirs.length, 0);
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('round-trips an avatar with no Gaussians (N = 0)', async () => {
    const avatar = await smallEmbeddedAvatar({ seed: 13, network: false });
    const g = avatar.gaussians;
    avatar.gaussians = {
      resolution: g.resolution, count: 0, texels: new Uint32Array(0), positions: new Float32Array(0),
      weights: new Float32Array(0), colors: new Float32Array(0), scales: new Float32Array(0),
    };
    const loaded = await loadAvatar(saveAvatar(avatar));
    try {
      assertSameAvatar(avatar, loaded);
      assert.equal(loaded.gaussians.count, 0);
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('is deterministic: save(load(save(a))) gives the same bytes', async () => {
    const avatar = await smallEmbeddedAvatar({ seed: 11 });
    const first = saveAvatar(avatar);
    const loaded = await loadAvatar(first);
    try {
      assert.ok(sameBytes(first, saveAvatar(loaded)));
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('stores numpy-readable little-endian .npy arrays with the shapes the directory declares', async () => {
    const avatar = await smallEmbeddedAvatar({ seed: 5 });
    try {
      const entries = unzipSync(saveAvatar(avatar));
      const json = JSON.parse(new TextDecoder().decode(entries['avatar.json']));
      const N = avatar.gaussians.count;
      assert.deepEqual(json.arrays['gaussians/weights.npy'], { dtype: '<f4', shape: [N, 24] });
      assert.deepEqual(json.arrays['gaussians/texels.npy'], { dtype: '<u4', shape: [N] });
      assert.deepEqual(json.arrays['body/parents.npy'], { dtype: '<i4', shape: [24] });
      for (const [name, row] of Object.entries(json.arrays) as [string, { dtype: string; shape: number[] }][]) {
        const npy = parseNpy(entries[name]!, name);
        assert.equal(npy.dtype, row.dtype, name);
        assert.deepEqual(npy.shape, row.shape, name);
        // numpy's own layout: header (incl. magic) padded to a multiple of 64 bytes.
        const headerLength = entries[name]![8]! | (entries[name]![9]! << 8);
        assert.equal((10 + headerLength) % 64, 0, name);
      }
      assert.deepEqual(json.network.tensors.map((t: { name: string }) => t.name), Object.keys(avatar.network!.tensors));
    } finally {
      avatar.body.dispose();
    }
  });

  it('embedBody stores the default body so the file no longer depends on it', async () => {
    const avatar = await createDefaultAvatar({ resolution: 16 });
    const loaded = await loadAvatar(saveAvatar(avatar, { embedBody: true }));
    try {
      assert.equal(loaded.bodySource, 'embedded');
      assertSameAvatar({ ...avatar, bodySource: 'embedded' }, loaded);
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });
});
