import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFingerprint } from '../../src/avatar/body-fingerprint.js';
import { randomBodyData } from '../helpers/random-body.js';
import { withGridUvs } from './avatar-fixtures.js';

describe('bodyFingerprint', () => {
  it('is stable for equal data and changes with any single bit, count or optional array', () => {
    const data = withGridUvs(randomBodyData({ numVertices: 30, seed: 4 }));
    const print = bodyFingerprint(data);
    assert.match(print, /^fnv1a32x2:[0-9a-f]{16}$/);
    assert.equal(bodyFingerprint({ ...data, vTemplate: data.vTemplate.slice() }), print);
    const seen = new Set([print]);
    for (const key of ['vTemplate', 'shapedirs', 'posedirs', 'jRegressor', 'weights', 'parents', 'faces', 'uvs', 'uvFaces'] as const) {
      const copy = data[key]!.slice();
      new Uint32Array(copy.buffer)[copy.length >> 1]! ^= 1; // lowest bit of one element
      const changed = bodyFingerprint({ ...data, [key]: copy });
      assert.ok(!seen.has(changed), `flipping a bit of ${key} changes the fingerprint`);
      seen.add(changed);
    }
    const { uvs: _u, uvFaces: _f, ...noUv } = data;
    assert.ok(!seen.has(bodyFingerprint(noUv)));
    assert.notEqual(bodyFingerprint({ ...data, numBetas: data.numBetas + 1 }), print);
  });
});
