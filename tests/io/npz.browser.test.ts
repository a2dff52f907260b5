// The npz reader and loadSmplModel in real Chromium: stored and deflated archives, every string and
// numeric dtype path (latin1/UTF-8 header decoding, big endian, Fortran order), a UV .obj, typed errors.
import { expect } from 'chai';
import { readNpz } from '../../src/io/npz.js';
import { npyToFloat64 } from '../../src/io/npy-arrays.js';
import { loadSmplModel } from '../../src/body/load-smpl.js';
import { createBodyModel } from '../../src/body/body-model.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { randomBodyData, randomPose } from '../helpers/random-body.js';
import { writeNpz } from '../helpers/npz-writer.js';
import { smplNpz } from '../helpers/smpl-npz.js';

describe('npz in the browser', () => {
  it('reads every dtype family from stored and deflated archives', () => {
    for (const level of [0, 6] as const) {
      const bytes = writeNpz({
        a: { dtype: '>f8', shape: [2, 3], values: [1, 2, 3, 4, 5, 6], fortranOrder: true, version: 3 },
        k: { dtype: '<i8', shape: [2], values: [4294967295n, -1n] },
        g: { dtype: '<U6', shape: [], values: ['female'] },
        s: { dtype: '|S5', shape: [1], values: ['smplx'], version: 2 },
      }, level);
      const out = readNpz(bytes.buffer.slice(0) as ArrayBuffer);
      expect(Array.from(npyToFloat64(out.get('a')!, 'a'))).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(Array.from(out.get('k')!.data as BigInt64Array)).to.deep.equal([4294967295n, -1n]);
      expect(out.get('g')!.data).to.deep.equal(['female']);
      expect(out.get('s')!.data).to.deep.equal(['smplx']);
    }
  });

  it('loadSmplModel: forward equals createBodyModel on the same data; a UV obj maps; bad input is typed', async () => {
    const data = randomBodyData({ numVertices: 4, numJoints: 24, numBetas: 2, seed: 2 });
    data.faces = Uint32Array.from([0, 1, 2, 0, 2, 3]);
    const obj = ['v 0 0 0', 'v 1 0 0', 'v 1 1 0', 'v 0 1 0', 'vt 0 0', 'vt 1 0', 'vt 1 1', 'vt 0 1', 'f 1/1 2/2 3/3 4/4'].join('\n');
    const model = await loadSmplModel(smplNpz(data, { level: 6, extras: true }), { uvObj: obj });
    const direct = await createBodyModel(data);
    const pose = randomPose(24, 5, 1);
    expect(Array.from(model.forward({ pose }).vertices)).to.deep.equal(Array.from(direct.forward({ pose }).vertices));
    expect(Array.from(model.uvFaces!)).to.deep.equal([0, 1, 2, 0, 2, 3]);
    model.dispose();
    direct.dispose();
    let error: unknown;
    try {
      await loadSmplModel('model.npz' as never);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AvatarInputError);
    error = undefined;
    try {
      await loadSmplModel(new Uint8Array([0x80, 0x02, 0x7d, 0x2e]));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AvatarFormatError);
    expect((error as Error).message).to.match(/pickle/);
  });
});
