// Fuzz test of the npz → body-model path: valid SMPL-shaped files (float32/float64, C/Fortran order,
// little/big endian, stored/deflated) mutated 10 000 times at the zip level (byte flips, truncation,
// insertions, size/offset/count fields) and at the npy level re-zipped with valid CRCs (header edits:
// huge shapes, wrong dtypes, flags; data flips). Every outcome must be a model or an
// AvatarFormatError — never another exception, a hang or an out-of-memory.
// Reproduce one failure with FUZZ_SEED=<seed> (printed on failure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmplModel } from '../../src/body/load-smpl.js';
import { readNpz } from '../../src/io/npz.js';
import { AvatarFormatError } from '../../src/errors.js';
import { randomBodyData, seededRandom } from '../helpers/random-body.js';
import { writeNpy, writeNpz, type NpySpec } from '../helpers/npz-writer.js';
import { smplNpzFields, type SmplNpzVariant } from '../helpers/smpl-npz.js';

const ITERATIONS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

const data = randomBodyData({ numVertices: 10, numJoints: 4, numBetas: 2, seed: 11 });
const variants: SmplNpzVariant[] = [
  { floatDtype: '<f8', level: 0 },
  { floatDtype: '<f4', fortranOrder: true, level: 6 },
  { floatDtype: '>f8', intDtype: '>i4', rootParent: -1, level: 0, extras: true },
  { floatDtype: '<f4', intDtype: '<u4', level: 6, extras: true },
  { floatDtype: '>f4', fortranOrder: true, intDtype: '<i8', level: 0 },
];
/** Per variant: the npy bytes of each field, and the zipped file. */
const bases = variants.map((variant) => {
  const fields = Object.fromEntries(
    Object.entries(smplNpzFields(data, variant)).map(([k, v]) => [k, v instanceof Uint8Array ? v : writeNpy(v as NpySpec)]),
  );
  return { variant, fields, npz: writeNpz(fields, variant.level ?? 0) };
});

const INTERESTING = [0, 1, 2, 3, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0xfffffffe, 1e6, 1e9];
const DTYPES = ['|O', '<f16', '<c8', '>i8', '<U0', '<U9999999999', 'xx', '<f2', '|b1', '<i1', '|S1', '<M8', "('a', '<f4')", ''];
const SHAPES = ['()', '(0,)', '(1000000000000,)', '(99999999999999999999, 3)', '(-1, 3)', '(10, 3, 2, 1)', '(3,', '(1e3,)', "('a',)", '(10, 3)'];

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

function indexOfBytes(hay: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** Zip-level mutations of a whole archive. Returns the bytes and a description. */
function mutateZip(npz: Uint8Array, rand: Rand): [Uint8Array, string] {
  const b = npz.slice();
  const dv = new DataView(b.buffer);
  const kind = Math.floor(rand() * 6);
  if (kind === 0) {
    const n = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
    return [b, `flip ${n} bits`];
  }
  if (kind === 1) {
    const len = Math.floor(rand() * b.length);
    return [b.subarray(0, len), `truncate to ${len}`];
  }
  if (kind === 2) {
    const at = Math.floor(rand() * b.length);
    const n = 1 + Math.floor(rand() * 16);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, at));
    for (let i = 0; i < n; i++) out[at + i] = Math.floor(rand() * 256);
    out.set(b.subarray(at), at + n);
    return [out, `insert ${n} bytes at ${at}`];
  }
  // Size, offset and count fields of central-directory records, local headers and the end record.
  const sigs: [number[], number[]][] = [
    [[0x50, 0x4b, 1, 2], [10, 16, 20, 24, 28, 30, 32, 42]],
    [[0x50, 0x4b, 3, 4], [8, 18, 22, 26, 28]],
    [[0x50, 0x4b, 5, 6], [8, 10, 12, 16, 20]],
  ];
  const [sig, offsets] = pick(rand, sigs);
  const hits: number[] = [];
  for (let at = indexOfBytes(b, sig); at >= 0; at = indexOfBytes(b, sig, at + 1)) hits.push(at);
  if (!hits.length) return [b, 'no record to edit'];
  const at = pick(rand, hits) + pick(rand, offsets);
  if (at + 4 > b.length) return [b, 'record edit past end'];
  const old = dv.getUint32(at, true);
  const value = rand() < 0.5 ? pick(rand, INTERESTING) : (old + Math.floor(rand() * 17) - 8) >>> 0;
  const wide = rand() < 0.5;
  if (wide) dv.setUint32(at, value >>> 0, true);
  else dv.setUint16(at, value & 0xffff, true);
  return [b, `zip field at ${at}: ${old} → ${value} (${wide ? 32 : 16} bit)`];
}

/** npy-level mutation of one field, re-zipped so the CRCs are valid and the parsers see it. */
function mutateNpy(fields: Record<string, Uint8Array>, level: 0 | 6, rand: Rand): [Uint8Array, string] {
  const name = pick(rand, Object.keys(fields));
  let npy = fields[name];
  const text = new TextDecoder('latin1').decode(npy);
  const kind = Math.floor(rand() * 5);
  let what: string;
  const replaceHeaderText = (from: RegExp, to: string): Uint8Array => {
    const headerLength = new DataView(npy.buffer, npy.byteOffset).getUint16(8, true);
    const header = text.slice(10, 10 + headerLength).replace(from, to);
    const h = Uint8Array.from(header, (c) => c.charCodeAt(0) & 0xff);
    const out = new Uint8Array(10 + h.length + npy.length - 10 - headerLength);
    out.set(npy.subarray(0, 10));
    new DataView(out.buffer).setUint16(8, h.length, true);
    out.set(h, 10);
    out.set(npy.subarray(10 + headerLength), 10 + h.length);
    return out;
  };
  if (kind === 0) {
    const s = pick(rand, SHAPES);
    npy = replaceHeaderText(/'shape': \([^)]*\)/, `'shape': ${s}`);
    what = `shape → ${s}`;
  } else if (kind === 1) {
    const d = pick(rand, DTYPES);
    npy = replaceHeaderText(/'descr': '[^']*'/, `'descr': '${d}'`);
    what = `descr → ${d}`;
  } else if (kind === 2) {
    const f = pick(rand, ['True', 'False', '1', 'None', "'x'"]);
    npy = replaceHeaderText(/'fortran_order': \w+/, `'fortran_order': ${f}`);
    what = `fortran_order → ${f}`;
  } else if (kind === 3) {
    npy = npy.slice();
    const n = 1 + Math.floor(rand() * 4);
    const headerEnd = Math.min(npy.length, 128);
    for (let i = 0; i < n; i++) {
      const at = rand() < 0.5 ? Math.floor(rand() * headerEnd) : Math.floor(rand() * npy.length);
      npy[at] = rand() < 0.3 ? pick(rand, [0x00, 0xff, 0x7f, 0x80, 0x28, 0x29, 0x27, 0x2c]) : Math.floor(rand() * 256);
    }
    what = `npy bytes: ${n} set`;
  } else {
    const len = Math.floor(rand() * npy.length);
    npy = npy.subarray(0, len);
    what = `npy truncated to ${len}`;
  }
  return [writeNpz({ ...fields, [name]: npy }, level), `${name}: ${what}`];
}

test(`fuzz: ${ITERATIONS} mutated SMPL npz files → a model or an AvatarFormatError (seed ${SEED})`, async () => {
  const started = performance.now();
  const outcomes = { model: 0, formatError: 0 };
  let slowest = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const rand = seededRandom(SEED + it * 7919);
    const base = pick(rand, bases);
    const [bytes, what] = rand() < 0.5 ? mutateZip(base.npz, rand) : mutateNpy(base.fields, base.variant.level ?? 0, rand);
    const context = `iteration ${it} (FUZZ_SEED=${SEED}), variant ${JSON.stringify(base.variant)}, mutation: ${what}`;
    const t0 = performance.now();
    try {
      const model = await loadSmplModel(bytes);
      assert.equal(model.numVertices * 3, model.data.vTemplate.length, context);
      model.forward({ pose: new Float32Array(model.numJoints * 3) });
      model.dispose();
      outcomes.model++;
    } catch (e) {
      if (!(e instanceof AvatarFormatError)) {
        assert.fail(`${context}: threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
      outcomes.formatError++;
    }
    // The unfiltered reader on the same bytes (it must also refuse the pickled extras cleanly).
    try {
      readNpz(bytes);
    } catch (e) {
      if (!(e instanceof AvatarFormatError)) assert.fail(`${context}: readNpz threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < 2000, `${context}: took ${ms.toFixed(0)} ms`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${outcomes.model} models, ${outcomes.formatError} AvatarFormatErrors in ${seconds.toFixed(1)} s (slowest ${slowest.toFixed(1)} ms)`);
  // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
  assert.ok(outcomes.model > ITERATIONS * 0.02, `only ${outcomes.model} mutated files loaded`);
  assert.ok(outcomes.formatError > ITERATIONS * 0.3, `only ${outcomes.formatError} mutated files were refused`);
});
