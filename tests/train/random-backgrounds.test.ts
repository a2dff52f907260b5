import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBackgrounds } from '../../src/train/random-backgrounds.js';

test('randomBackgrounds: deterministic per seed, colours in 0…1, the RGB cube corners among them', () => {
  const a = randomBackgrounds(5), b = randomBackgrounds(5), c = randomBackgrounds(6);
  const seen = new Set<string>();
  let differs = false;
  for (let k = 0; k < 4000; k++) {
    const x = a(), y = b(), z = c();
    assert.deepEqual(x, y);
    if (x.join() !== z.join()) differs = true;
    for (const v of x) assert.ok(v >= 0 && v <= 1);
    seen.add(x.join());
  }
  assert.ok(differs, 'another seed draws another sequence');
  assert.equal(seen.size, 32, 'a palette of 32 colours, all drawn');
  for (const corner of ['0,0,0', '1,1,1', '1,0,0', '0,1,0', '0,0,1']) assert.ok(seen.has(corner), corner);
});
