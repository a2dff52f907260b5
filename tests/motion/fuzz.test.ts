/**
 * Fuzzing every motion parser: 10 000 seeded mutations of valid files each (byte flips,
 * truncation, deleted / duplicated ranges, numbers edited to huge, negative, fractional or
 * non-finite values). Every outcome must be a well-formed Motion or an AvatarFormatError — never
 * another exception, a hang, or a motion with NaN. Failures print the seed and iteration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError } from '../../src/errors.js';
import { parseMotion, saveMotion, type Motion } from '../../src/motion/index.js';
import { checkMotion } from '../../src/motion/validate-motion.js';
import { cmuRig, frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { writeNpz, type NpySpec } from '../helpers/npz-writer.js';
import { prng, randomAxisAngle } from './rotation-twin.js';

const ITERATIONS = 10_000;
const NUMBER_EDITS = ['0', '-1', '1', '2.5', '-0', '1e308', '1e999', '-1e999', 'NaN', '999999999999', '4294967297', '1e-320', '', '00', '0x10', '7'];

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};
const fromLatin1 = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

/** One random mutation of `input`. */
function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(rand() * n);
  const kind = pick(6);
  const b = input;
  if (kind === 0) {
    const out = b.slice();
    for (let k = 1 + pick(4); k > 0; k--) out[pick(out.length)] = pick(256);
    return out;
  }
  if (kind === 1) return b.slice(0, pick(b.length + 1));
  if (kind === 2) {
    const at = pick(b.length);
    const len = 1 + pick(Math.min(64, b.length - at));
    const out = new Uint8Array(b.length - len);
    out.set(b.subarray(0, at));
    out.set(b.subarray(at + len), at);
    return out;
  }
  if (kind === 3) {
    const at = pick(b.length);
    const len = 1 + pick(Math.min(64, b.length - at));
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, at + len));
    out.set(b.subarray(at), at + len);
    return out;
  }
  // Numeric edits (kinds 4, 5): replace a digit run — counts, shapes, sizes, values — with an edge case.
  const text = latin1(b);
  const number = /-?\d+(\.\d+)?(e-?\d+)?/g;
  number.lastIndex = pick(text.length);
  let m = number.exec(text);
  if (!m) {
    number.lastIndex = 0;
    m = number.exec(text);
  }
  if (!m) return b;
  const replacement = NUMBER_EDITS[pick(NUMBER_EDITS.length)];
  return fromLatin1(text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length));
}

/** Byte-level mutants of the seed files: 1–3 mutations each. */
const mutants = (seeds: Uint8Array[]) => (i: number, rand: () => number): Uint8Array => {
  let data = seeds[i % seeds.length];
  for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) data = mutate(data, rand);
  return data;
};

/**
 * A well-formed npz whose arrays are AMASS-like but randomly wrong: shapes (0 frames, odd widths,
 * extra or missing axes), dtypes (ints, bools, strings), values (NaN, ±Infinity, 1e300), missing
 * or mismatched fields. Byte mutants rarely get past the zip CRCs, so these reach the converter.
 */
function structuredNpz(rand: () => number): Uint8Array {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(rand() * options.length)];
  /** Mostly the well-formed choice, sometimes a broken one, so most archives get deep into the converter. */
  const often = <T>(good: T, bad: readonly T[]): T => (rand() < 0.85 ? good : pick(bad));
  const F = often(1 + Math.floor(rand() * 3), [0]);
  const array = (shape: number[], positive = false): NpySpec => {
    const dtype = often('<f8', ['<f4', '>f8', '<i4', '|b1', '<U3', '|u1']);
    const n = shape.reduce((a, b) => a * b, 1);
    const values: (number | boolean | string)[] = Array.from({ length: n }, () => {
      if (dtype === '<U3') return 'abc';
      if (dtype === '|b1') return rand() < 0.5;
      if (dtype === '<i4' || dtype === '|u1') return Math.floor(rand() * 100);
      return positive ? often(1 + rand() * 200, [0, -30]) : rand() * 4 - 2;
    });
    // One array in ten holds a non-finite or out-of-float32-range value.
    if (n > 0 && dtype[1] === 'f' && rand() < 0.1) values[Math.floor(rand() * n)] = pick([NaN, Infinity, -Infinity, 1e300, -1e300]);
    return { dtype, shape, values, fortranOrder: rand() < 0.3 };
  };
  const arrays: Record<string, NpySpec> = {};
  const width = often(pick([72, 156, 165, 66]), [69, 3, 0]);
  if (rand() < 0.9) arrays.poses = array(often([F, width], [[F, width / 3, 3], [width], [F, width, 1]]));
  if (rand() < 0.8) arrays.trans = array(often([F, 3], [[F + 1, 3], [F, 2], [3]]));
  if (rand() < 0.5) arrays.betas = array(often([16], [[0], [2, 5]]));
  if (rand() < 0.9) arrays[pick(['mocap_framerate', 'mocap_frame_rate'])] = array(often([], [[1], [2]]), true);
  if (rand() < 0.15) {
    arrays.root_orient = array([F, often(3, [2])]);
    arrays.pose_body = array([F, often(63, [60])]);
    if (rand() < 0.5) arrays.pose_hand = array([often(F, [F + 1]), 90]);
  }
  arrays.gender = { dtype: '<U6', shape: [], values: ['female'] };
  return writeNpz(arrays, pick([0, 6] as const));
}

function fuzz(label: string, next: (i: number, rand: () => number) => Uint8Array, seed: number): void {
  const rand = prng(seed);
  let values = 0;
  let errors = 0;
  const t0 = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const data = next(i, rand);
    let motion: Motion;
    try {
      motion = parseMotion(data);
    } catch (e) {
      if (e instanceof AvatarFormatError) {
        errors++;
        continue;
      }
      assert.fail(`${label} seed ${seed} iteration ${i}: ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
    }
    try {
      checkMotion(motion);
    } catch (e) {
      assert.fail(`${label} seed ${seed} iteration ${i}: malformed motion: ${(e as Error).message}`);
    }
    values++;
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label}: ${values} motions, ${errors} AvatarFormatErrors in ${seconds.toFixed(1)} s`);
  // Both outcomes must be common, or the fuzzing is not reaching past the first check.
  assert.ok(values > ITERATIONS * 0.02, `${label}: only ${values} mutated files parsed`);
  assert.ok(errors > ITERATIONS * 0.2, `${label}: only ${errors} mutated files were rejected`);
}

describe('motion parser fuzzing', () => {
  it('AMASS npz: 10 000 mutations → a Motion or an AvatarFormatError', () => {
    const rand = prng(99);
    const npz = (joints: number, dtype: string, level: 0 | 6, fortran: boolean): Uint8Array => {
      const F = 3;
      const poses: number[] = [];
      for (let i = 0; i < F * joints; i++) poses.push(...randomAxisAngle(rand, 2));
      const arrays: Record<string, NpySpec> = {
        poses: { dtype, shape: [F, joints * 3], values: poses, fortranOrder: fortran },
        trans: { dtype, shape: [F, 3], values: Array.from({ length: F * 3 }, () => rand()) },
        betas: { dtype, shape: [10], values: Array.from({ length: 10 }, () => rand()) },
        gender: { dtype: '<U6', shape: [], values: ['female'] },
        [joints === 55 ? 'mocap_frame_rate' : 'mocap_framerate']: { dtype: '<f8', shape: [], values: [120] },
      };
      return writeNpz(arrays, level);
    };
    const bytes = mutants([npz(52, '<f8', 0, false), npz(55, '<f4', 0, true), npz(24, '>f8', 6, false), npz(52, '<f8', 6, true)]);
    // Even iterations: byte-level damage (zip, npy headers, CRCs); odd: well-formed archives with wrong contents.
    fuzz('npz', (i, r) => (i % 2 === 0 ? bytes(i / 2, r) : structuredNpz(r)), 1);
  });

  it('BVH: 10 000 mutations → a Motion or an AvatarFormatError', () => {
    const rand = prng(7);
    const rows = (rig: ReturnType<typeof cmuRig>): number[][] =>
      [0, 1].map(() =>
        frameRow(rig, Object.fromEntries(rig.map((j) => [j.name, { Xrotation: rand() * 90 - 45, Yrotation: rand() * 90 - 45, Zrotation: rand() * 90 - 45 }]))),
      );
    const small = mixamoRig({ arms: 'down' }).filter((j) => !/Hand|Toe|Shoulder/.test(j.name));
    const seeds = [cmuRig(), mixamoRig({ sixChannels: true }), small].map((rig) => new TextEncoder().encode(writeBvh(rig, rows(rig))));
    fuzz('bvh', mutants(seeds), 2);
  });

  it('JSON: 10 000 mutations → a Motion or an AvatarFormatError', () => {
    const rand = prng(5);
    const motion = (F: number, betas: boolean): Motion => ({
      fps: 30,
      frameCount: F,
      poses: Float32Array.from({ length: F * 72 }, () => rand() - 0.5),
      trans: Float32Array.from({ length: F * 3 }, () => rand()),
      ...(betas ? { betas: Float32Array.from({ length: 4 }, () => rand()) } : {}),
      source: 'json',
    });
    const text = saveMotion(motion(2, true));
    const flat = JSON.stringify({ ...JSON.parse(text), poses: JSON.parse(text).poses.flat(), frameCount: undefined });
    fuzz('json', mutants([text, flat, saveMotion(motion(1, false))].map((t) => new TextEncoder().encode(t))), 3);
  });
});
