// The avatar file, default avatar and PLY paths run in a browser page as in Node: save → load is
// bit-exact, the loaded body poses, and the exported PLY parses back to the posed positions.
import { expect } from 'chai';
import { unzipSync, zipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import { exportPly, parsePly } from '../../src/avatar/ply.js';
import { AvatarFormatError } from '../../src/errors.js';

const bytesOf = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe('avatars in the browser', () => {
  it('save → load round-trips bit-exactly and the PLY export parses back to the posed positions', async () => {
    const avatar = await createDefaultAvatar({ resolution: 40 });
    const loaded = await loadAvatar(saveAvatar(avatar).buffer as ArrayBuffer);
    try {
      expect(loaded.gaussians.count).to.equal(avatar.gaussians.count).and.be.above(500);
      for (const key of ['texels', 'positions', 'weights', 'colors', 'scales'] as const) {
        expect(bytesOf(loaded.gaussians[key]), key).to.deep.equal(bytesOf(avatar.gaussians[key]));
      }
      expect(bytesOf(loaded.canonicalTransforms)).to.deep.equal(bytesOf(avatar.canonicalTransforms));
      const pose = new Float32Array(72).map((_, i) => 0.2 * Math.cos(i));
      const trans = new Float32Array([0.1, 0.2, 0.3]);
      const ply = parsePly(exportPly(loaded, { pose, trans }));
      expect(bytesOf(ply.positions)).to.deep.equal(bytesOf(poseGaussians(avatar, { pose, trans }).positions));
    } finally {
      avatar.body.dispose();
      loaded.body.dispose();
    }
  });

  it('a file from a future version is refused with AvatarFormatError naming avatar.json.version', async () => {
    const avatar = await createDefaultAvatar({ resolution: 8 });
    const entries = unzipSync(saveAvatar(avatar));
    avatar.body.dispose();
    const json = JSON.parse(new TextDecoder().decode(entries['avatar.json']));
    json.version = 7;
    entries['avatar.json'] = new TextEncoder().encode(JSON.stringify(json));
    let error: unknown;
    try {
      (await loadAvatar(zipSync(entries))).body.dispose();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AvatarFormatError);
    expect((error as Error).message).to.match(/^avatar\.json\.version: expected ≤ 1, got 7/);
  });
});
