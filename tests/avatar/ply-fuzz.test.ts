// Fuzz test of parsePly: an exported 3DGS binary PLY (small default avatar) and an ascii PLY with
// extra elements, mutated 10 000 times — bit flips, truncation, insertions, and header edits (counts,
// types, formats, keywords replaced by interesting values). Every outcome must be a ParsedPly or
// an AvatarFormatError — never another exception, a hang or an out-of-memory.
// Reproduce one failure with FUZZ_SEED=<seed> (printed on failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { exportPly, parsePly } from '../../src/avatar/ply.js';
import { AvatarFormatError } from '../../src/errors.js';
import { seededRandom } from '../helpers/random-body.js';

const ITERATIONS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const WORDS = ['0', '1', '-1', '4294967295', '99999999999999999999', '1e9', 'nan', 'x', 'float', 'double', 'uchar', 'list',
  'int', 'vertex', 'face', 'property', 'element', 'end_header', 'ascii', 'binary_big_endian', 'binary_little_endian', '1.0', '', '\n'];

function mutate(file: Uint8Array, rand: Rand): [Uint8Array, string] {
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    const b = file.slice();
    const n = 1 + Math.floor(rand() * 8);
    // Flips mostly in the header, where they matter most.
    for (let i = 0; i < n; i++) b[Math.floor(rand() * (rand() < 0.7 ? Math.min(b.length, 400) : b.length))]! ^= 1 << Math.floor(rand() * 8);
    return [b, `flip ${n} bits`];
  }
  if (kind === 1) {
    const len = Math.floor(rand() * file.length);
    return [file.subarray(0, len), `truncate to ${len}`];
  }
  if (kind === 2) {
    const at = Math.floor(rand() * Math.min(file.length, 400));
    const insert = new TextEncoder().encode(pick(rand, WORDS) + pick(rand, [' ', '\n', '']));
    const out = new Uint8Array(file.length + insert.length);
    out.set(file.subarray(0, at));
    out.set(insert, at);
    out.set(file.subarray(at), at + insert.length);
    return [out, `insert at ${at}`];
  }
  // Replace one word of the header with an interesting one.
  const text = new TextDecoder('latin1').decode(file);
  const end = text.indexOf('end_header');
  const header = text.slice(0, end > 0 ? end : Math.min(text.length, 400));
  const words = [...header.matchAll(/[^\s]+/g)];
  const w = pick(rand, words);
  const replacement = pick(rand, WORDS);
  const enc = new TextEncoder().encode(replacement);
  const out = new Uint8Array(file.length - w[0].length + enc.length);
  out.set(file.subarray(0, w.index!));
  out.set(enc, w.index!);
  out.set(file.subarray(w.index! + w[0].length), w.index! + enc.length);
  return [out, `replace "${w[0]}" with "${replacement}"`];
}

test(`parsePly: ${ITERATIONS} seeded mutations → a ParsedPly or an AvatarFormatError (seed ${SEED})`, async () => {
  const avatar = await createDefaultAvatar({ resolution: 16 });
  const binary = exportPly(avatar, { pose: new Float32Array(72) });
  avatar.body.dispose();
  const ascii = new TextEncoder().encode(
    'ply\nformat ascii 1.0\ncomment c\nelement camera 1\nproperty list uchar float k\nelement vertex 3\nproperty float x\n' +
    'property float y\nproperty float z\nproperty float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\nproperty list uchar int ids\n' +
    'property float opacity\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n' +
    '2 0.5 0.25\n0 0 0 1 1 1 2 5 6 0\n1 2 3 -1 0 1 0 3\n-4 5.5 6e-3 0 0 0 1 9 -2\n3 0 1 2\n',
  );
  const files = [binary, ascii];
  assert.deepEqual(Array.from(parsePly(ascii).positions), [0, 0, 0, 1, 2, 3, -4, 5.5, Math.fround(6e-3)]);
  assert.ok(parsePly(binary).count > 50);
  const rand = seededRandom(SEED);
  let parsed = 0, refused = 0, slowest = 0;
  const t0 = performance.now();
  for (let it = 0; it < ITERATIONS; it++) {
    const which = rand() < 0.5 ? 0 : 1;
    const [bytes, what] = mutate(files[which]!, rand);
    const t = performance.now();
    try {
      const ply = parsePly(bytes);
      assert.equal(ply.positions.length, ply.count * 3);
      parsed++;
    } catch (e) {
      if (!(e instanceof AvatarFormatError)) {
        assert.fail(`iteration ${it} (FUZZ_SEED=${SEED}, file ${which}, ${what}): ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      refused++;
    }
    slowest = Math.max(slowest, performance.now() - t);
  }
  console.log(`ply fuzz: ${parsed} parsed, ${refused} AvatarFormatError, ${((performance.now() - t0) / 1000).toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`);
  assert.ok(refused > ITERATIONS / 4 && parsed > ITERATIONS / 20, 'both outcomes occur');
});
