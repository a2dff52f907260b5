// Fuzz test of loadAvatar: small valid `.gavatar` files (an embedded random body with a network,
// stored and deflated, and a default-body reference) mutated 10 000 times — at the zip level (bit
// flips, truncation, insertions, size/offset fields), in avatar.json re-zipped with valid CRCs
// (values replaced by other types, huge or negative numbers, keys deleted), and in the .npy entries
// re-zipped (header and data bytes, NaN/Inf/negative floats, huge shapes). Every outcome must be an
// Avatar or an AvatarFormatError — never another exception, a hang or an out-of-memory.
// Reproduce one failure with FUZZ_SEED=<seed> (printed on failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, zipSync } from 'fflate';
import { loadAvatar, saveAvatar } from '../../src/avatar/avatar-file.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { AvatarFormatError } from '../../src/errors.js';
import { seededRandom } from '../helpers/random-body.js';
import { smallEmbeddedAvatar } from './avatar-fixtures.js';

const ITERATIONS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const WEIRD_VALUES: unknown[] = [
  null, true, 'x', '', -1, 0, 1, 0.5, 2 ** 31, 2 ** 53, 1e308, -1e308, 4096, 4097, [], [1, 2], {}, { a: 1 },
  '<f4', '<u4', '<i4', '<f8', 'default', 'embedded', 'gaussian-avatar', 7, 24, [0], [2 ** 20, 2 ** 20],
];
const WEIRD_FLOATS = [NaN, Infinity, -Infinity, -1, -0, 0, 1e-45, 2, 3.4e38, 0.5];

/** Every (object, key) location inside a JSON value. */
function locations(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      out.push([value as Record<string, unknown>, key]);
      locations((value as Record<string, unknown>)[key], out);
    }
  }
  return out;
}

function mutateJson(entries: Record<string, Uint8Array>, rand: Rand): string {
  const json = JSON.parse(new TextDecoder().decode(entries['avatar.json']));
  const n = 1 + Math.floor(rand() * 3);
  const what: string[] = [];
  for (let k = 0; k < n; k++) {
    const locs = locations(json);
    const [obj, key] = pick(rand, locs);
    const r = rand();
    if (r < 0.2) {
      delete obj[key];
      what.push(`delete ${key}`);
    } else if (r < 0.5 && typeof obj[key] === 'number') {
      obj[key] = (obj[key] as number) + pick(rand, [-1, 1, -2, 1000, 2 ** 20]);
      what.push(`nudge ${key}`);
    } else {
      obj[key] = structuredClone(pick(rand, WEIRD_VALUES));
      what.push(`set ${key}`);
    }
  }
  entries['avatar.json'] = new TextEncoder().encode(rand() < 0.05 ? JSON.stringify(json).slice(0, -2) : JSON.stringify(json));
  return `json: ${what.join(', ')}`;
}

function mutateNpy(entries: Record<string, Uint8Array>, rand: Rand): string {
  const names = Object.keys(entries).filter((n) => n.endsWith('.npy'));
  const name = pick(rand, names);
  const b = entries[name]!.slice();
  const headerEnd = 10 + (b[8]! | (b[9]! << 8));
  const r = rand();
  if (r < 0.3 && b.length > headerEnd) {
    // A weird float (or integer bits) into the data.
    const at = headerEnd + 4 * Math.floor(rand() * ((b.length - headerEnd) / 4));
    new DataView(b.buffer).setFloat32(at, pick(rand, WEIRD_FLOATS), true);
    entries[name] = b;
    return `npy ${name}: weird value at ${at}`;
  }
  if (r < 0.6) {
    // Rewrite the header with another shape or dtype, keeping the data.
    const header = new TextDecoder('latin1').decode(b.subarray(10, headerEnd));
    const edited = rand() < 0.5
      ? header.replace(/'shape': \([^)]*\)/, `'shape': ${pick(rand, ['()', '(0,)', '(3,)', '(99999999999, 3)', '(-1,)', '(1, 2, 3, 4)'])}`)
      : header.replace(/'descr': '[^']*'/, `'descr': '${pick(rand, ['<f8', '>f4', '<i4', '<u4', '|u1', '<f2', '|O'])}'`);
    const headerBytes = new TextEncoder().encode(edited);
    const out = new Uint8Array(10 + headerBytes.length + b.length - headerEnd);
    out.set(b.subarray(0, 10));
    out[8] = headerBytes.length & 0xff;
    out[9] = headerBytes.length >> 8;
    out.set(headerBytes, 10);
    out.set(b.subarray(headerEnd), 10 + headerBytes.length);
    entries[name] = out;
    return `npy ${name}: header ${edited.slice(0, 60)}`;
  }
  if (r < 0.8) {
    const len = Math.floor(rand() * b.length);
    entries[name] = b.subarray(0, len);
    return `npy ${name}: truncate to ${len}`;
  }
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)]! ^= 1 << Math.floor(rand() * 8);
  entries[name] = b;
  return `npy ${name}: flip ${n} bits`;
}

function mutateZip(file: Uint8Array, rand: Rand): [Uint8Array, string] {
  const b = file.slice();
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    const n = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)]! ^= 1 << Math.floor(rand() * 8);
    return [b, `zip: flip ${n} bits`];
  }
  if (kind === 1) {
    const len = Math.floor(rand() * b.length);
    return [b.subarray(0, len), `zip: truncate to ${len}`];
  }
  if (kind === 2) {
    const at = Math.floor(rand() * b.length);
    const n = 1 + Math.floor(rand() * 16);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, at));
    for (let i = 0; i < n; i++) out[at + i] = Math.floor(rand() * 256);
    out.set(b.subarray(at), at + n);
    return [out, `zip: insert ${n} bytes at ${at}`];
  }
  // A size/offset field of a central-directory record set to an interesting value.
  const dv = new DataView(b.buffer);
  const records: number[] = [];
  for (let at = 0; at + 46 <= b.length; at++) if (dv.getUint32(at, true) === 0x02014b50) records.push(at);
  const at = pick(rand, records) + pick(rand, [20, 24, 42]);
  dv.setUint32(at, pick(rand, [0, 1, 0x7fffffff, 0xffffffff, 0xfffffff0, b.length, 2 ** 30]), true);
  return [b, `zip: central field at ${at}`];
}

test(`loadAvatar: ${ITERATIONS} seeded mutations → an Avatar or an AvatarFormatError (seed ${SEED})`, async () => {
  const embedded = await smallEmbeddedAvatar({ seed: 31, numVertices: 24, resolution: 12 });
  const reference = await createDefaultAvatar({ resolution: 8 });
  const files = [saveAvatar(embedded, { level: 0 }), saveAvatar(embedded, { level: 6 }), saveAvatar(reference)];
  embedded.body.dispose();
  reference.body.dispose();
  const unzipped = files.map((f) => unzipSync(f));
  const rand = seededRandom(SEED);
  const outcomes = { loaded: 0, formatError: 0 };
  const t0 = performance.now();
  let slowest = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    // The default-body reference less often: each one that loads builds the full default body.
    const which = rand() < 0.9 ? Math.floor(rand() * 2) : 2;
    let bytes: Uint8Array;
    let what: string;
    const strategy = rand();
    if (strategy < 0.35) {
      [bytes, what] = mutateZip(files[which]!, rand);
    } else {
      const entries = Object.fromEntries(Object.entries(unzipped[which]!).map(([k, v]) => [k, v.slice()]));
      what = strategy < 0.7 ? mutateJson(entries, rand) : mutateNpy(entries, rand);
      // Mostly stored: deflating in the harness would cost more than the loads under test.
      bytes = zipSync(entries, { level: rand() < 0.9 ? 0 : 1 });
    }
    const t = performance.now();
    try {
      const avatar = await loadAvatar(bytes);
      outcomes.loaded++;
      // What loads is consistent.
      const g = avatar.gaussians;
      assert.equal(g.positions.length, g.count * 3);
      assert.equal(g.weights.length, g.count * avatar.body.numJoints);
      avatar.body.dispose();
    } catch (e) {
      if (!(e instanceof AvatarFormatError)) {
        assert.fail(`iteration ${it} (FUZZ_SEED=${SEED}, file ${which}, ${what}): ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      outcomes.formatError++;
    }
    slowest = Math.max(slowest, performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`avatar fuzz: ${outcomes.loaded} loaded, ${outcomes.formatError} AvatarFormatError, ${seconds.toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`);
  assert.ok(outcomes.formatError > ITERATIONS / 2, 'most mutations are refused');
  assert.ok(outcomes.loaded > 0, 'some mutations (e.g. harmless metadata or float edits) still load');
});
