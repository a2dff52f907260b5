// One copy of the default body: the one-file bundle (dist/gaussian-avatar.min.js, built by
// `npm run build` before the tests) carries the asset's base64 once — the page's; the player's
// and the training worker's inlined bundles get the bytes from the page instead of their own copy
// (src/body/default-body-bytes.ts). The browser tests player-dist / train-dist run those workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('dist/gaussian-avatar.min.js holds the default body asset once', () => {
  const bundle = readFileSync(new URL('../../dist/gaussian-avatar.min.js', import.meta.url), 'utf8');
  const asset = readFileSync(new URL('../../assets/default-body.bin', import.meta.url));
  const base64 = asset.toString('base64');
  // A distinctive stretch from the middle of the asset's base64 (the start is a short, generic header).
  const probe = base64.slice(base64.length >> 1, (base64.length >> 1) + 64);
  const copies = bundle.split(probe).length - 1;
  assert.equal(copies, 1, `the asset appears ${copies} times`);
  assert.ok(bundle.length < asset.length * 1.34 + 2.5e6, `bundle ${bundle.length} bytes`);
});
