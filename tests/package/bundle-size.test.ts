// The one-file bundle stays small enough to put on a page: ≤ 1.5 MB gzipped (issue 14). Most of it
// is the default body, stored quantised (src/body/default-body-format.ts) and carried once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

test('dist/gaussian-avatar.min.js is at most 1.5 MB gzipped', () => {
  const bundle = readFileSync(new URL('../../dist/gaussian-avatar.min.js', import.meta.url));
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  assert.ok(gzipped <= 1.5e6, `${bundle.length} bytes minified, ${gzipped} gzipped`);
});
