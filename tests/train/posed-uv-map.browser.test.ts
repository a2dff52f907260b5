/// <reference types="mocha" />
// wgsl/sample_posed_uv_map.wgsl against its f64 twin on the default body, two frames in a row.
import { expect } from 'chai';
import { createDefaultBody } from '../../src/body/default-body.js';
import { AvatarInputError } from '../../src/errors.js';
import { createPosedUvMap, posedUvLayout } from '../../src/train/posed-uv-map.js';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { makeRng } from '../render/splat-fixtures.js';
import { expectClose, readFloats, submit } from './nn-gpu-helpers.js';
import { posedUvMapTwin } from './posed-uv-map-twin.js';

describe('createPosedUvMap (posed UV positional map, WGSL)', () => {
  it('matches the twin for posed, turned and moved bodies; uncovered texels are 0', async () => {
    const device = await getTestDevice();
    const body = await createDefaultBody();
    const R = 40;
    const layout = posedUvLayout(body, R);
    const posedMap = createPosedUvMap(device, layout, body.numVertices);
    const rng = makeRng(5);
    for (const trans of [[0, 0, 0], [0.4, -1.1, 3.2]]) {
      const pose = Float32Array.from({ length: 72 }, () => 0.7 * (rng() - 0.5));
      pose.set([2.5 * (rng() - 0.5), 2.5 * (rng() - 0.5), 2.5 * (rng() - 0.5)], 0);
      const posed = body.forward({ pose, trans });
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        posedMap.writeFrame(posed);
        posedMap.encode(encoder);
      }));
      const want = posedUvMapTwin(layout, posed.vertices, pose, posed.joints);
      expectClose('map', await readFloats(device, posedMap.map, 3 * R * R), want, 2e-6, 1e-5);
    }
    posedMap.destroy();
    body.dispose();
  });

  it('rejects a bad layout or frame with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const body = await createDefaultBody();
    const layout = posedUvLayout(body, 8);
    expect(() => createPosedUvMap(device, { ...layout, texelWeights: new Float32Array(3) }, body.numVertices)).to.throw(AvatarInputError, /layout\.texelWeights: expected Float32Array\(192\)/);
    expect(() => createPosedUvMap(device, layout, 10)).to.throw(AvatarInputError, /layout\.texelVertices: expected vertex indices below 10/);
    const posedMap = createPosedUvMap(device, layout, body.numVertices);
    expect(() => posedMap.writeFrame({ vertices: new Float32Array(9), joints: new Float32Array(72), transforms: new Float32Array(384) })).to.throw(AvatarInputError, /posed\.vertices: expected Float32Array/);
    posedMap.destroy();
    body.dispose();
  });
});
