import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { parseMotion } from '../../src/motion/index.js';
import { writeNpz, type NpySpec } from '../helpers/npz-writer.js';
import { apply, axisRotation, logMap, maxAbsDiff, mul, prng, randomAxisAngle, rodrigues, type Mat3 } from './rotation-twin.js';

/** z up → y up, as a matrix: −90° about x. */
const R: Mat3 = axisRotation('X', -Math.PI / 2);

interface AmassFixture {
  joints: 24 | 52 | 55;
  frames: number;
  seed: number;
  rateField?: 'mocap_framerate' | 'mocap_frame_rate' | null;
  level?: 0 | 6;
  fortran?: boolean;
  dtype?: '<f8' | '<f4' | '>f8';
  roots?: number[][];
  trans?: number[][];
}

/** An AMASS-shaped npz: float64 poses/trans/betas, a scalar frame rate, string and extra fields. */
function amassNpz(f: AmassFixture): { bytes: Uint8Array; poses: number[]; trans: number[]; betas: number[] } {
  const rand = prng(f.seed);
  const poses: number[] = [];
  for (let i = 0; i < f.frames; i++) {
    for (let j = 0; j < f.joints; j++) poses.push(...(j === 0 && f.roots ? f.roots[i] : randomAxisAngle(rand, 2)));
  }
  const trans = f.trans ? f.trans.flat() : Array.from({ length: f.frames * 3 }, () => rand() * 4 - 2);
  const betas = Array.from({ length: 16 }, () => rand() * 2 - 1);
  const dtype = f.dtype ?? '<f8';
  const arrays: Record<string, NpySpec> = {
    trans: { dtype, shape: [f.frames, 3], values: trans, fortranOrder: f.fortran },
    gender: { dtype: '<U6', shape: [], values: ['female'] },
    surface_model_type: { dtype: '<U7', shape: [], values: ['smplh'] },
    poses: { dtype, shape: [f.frames, f.joints * 3], values: poses, fortranOrder: f.fortran },
    betas: { dtype, shape: [16], values: betas },
    dmpls: { dtype: '<f8', shape: [f.frames, 8], values: new Float64Array(f.frames * 8) },
    names: { dtype: '|S4', shape: [2], values: ['abcd', 'efgh'] },
  };
  if (f.rateField !== null) arrays[f.rateField ?? 'mocap_framerate'] = { dtype: '<f8', shape: [], values: [120] };
  return { bytes: writeNpz(arrays, f.level ?? 0), poses, trans, betas };
}

function rootMatrix(poses: ArrayLike<number>, frame: number, width = 72): Mat3 {
  return rodrigues(poses, frame * width);
}

describe('AMASS npz motions', () => {
  for (const joints of [52, 55, 24] as const) {
    it(`reads ${joints === 52 ? 'SMPL-H (F×156)' : joints === 55 ? 'SMPL-X (F×165)' : 'SMPL (F×72)'} poses, trans, fps and betas`, () => {
      const fx = amassNpz({ joints, frames: 4, seed: joints, level: joints === 55 ? 6 : 0, fortran: joints === 55, rateField: joints === 55 ? 'mocap_frame_rate' : 'mocap_framerate' });
      const m = parseMotion(fx.bytes);
      assert.equal(m.source, 'amass-npz');
      assert.equal(m.fps, 120);
      assert.equal(m.frameCount, 4);
      assert.equal(m.poses.length, 4 * 72);
      assert.deepEqual(m.betas, Float32Array.from(fx.betas));
      const width = joints * 3;
      for (let f = 0; f < 4; f++) {
        // Body joints 1…21 unchanged (float32 rounding only).
        const body = fx.poses.slice(f * width + 3, f * width + 66);
        assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 3, f * 72 + 66), body) < 1e-6);
        // Hands: SMPL keeps its own; SMPL-H/X hand joints are fingers, so SMPL's 22/23 are zero.
        const hands = joints === 24 ? fx.poses.slice(f * width + 66, f * width + 72) : [0, 0, 0, 0, 0, 0];
        assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 66, f * 72 + 72), hands) < 1e-6);
        // Root: R · R_root; trans: R · t (pelvis at the origin by default).
        const expectedRoot = mul(R, rootMatrix(fx.poses, f, width));
        assert.ok(maxAbsDiff(rodrigues(m.poses, f * 72), expectedRoot) < 1e-6, `frame ${f} root`);
        assert.ok(maxAbsDiff(m.trans.subarray(f * 3, f * 3 + 3), apply(R, fx.trans.slice(f * 3, f * 3 + 3))) < 1e-6);
      }
    });
  }

  it('reads float32 and big-endian files alike', () => {
    for (const dtype of ['<f4', '>f8'] as const) {
      const fx = amassNpz({ joints: 52, frames: 2, seed: 9, dtype });
      const m = parseMotion(fx.bytes);
      assert.ok(maxAbsDiff(m.poses.subarray(3, 66), fx.poses.slice(3, 66)) < 1e-6, dtype);
    }
  });

  it('converts z-up to y-up: a known AMASS root orientation faces the right way', () => {
    // AMASS stands bodies up with +90° about x (SMPL's y-up body → z-up); then turn it by θ about z (up).
    const theta = 0.7;
    const standing = logMap(axisRotation('X', Math.PI / 2));
    const turned = logMap(mul(axisRotation('Z', theta), axisRotation('X', Math.PI / 2)));
    const fx = amassNpz({ joints: 52, frames: 2, seed: 3, roots: [standing, turned], trans: [[1, 2, 3], [0, 0, 0.9]] });
    const m = parseMotion(fx.bytes);
    // Standing: no root rotation left in y-up; facing +z, up +y.
    assert.ok(maxAbsDiff(rodrigues(m.poses, 0), [1, 0, 0, 0, 1, 0, 0, 0, 1]) < 1e-6);
    // Turned by θ about z-up = turned by θ about y-up: facing (sin θ, 0, cos θ).
    const root = rodrigues(m.poses, 72);
    assert.ok(maxAbsDiff(apply(root, [0, 0, 1]), [Math.sin(theta), 0, Math.cos(theta)]) < 1e-6);
    assert.ok(maxAbsDiff(apply(root, [0, 1, 0]), [0, 1, 0]) < 1e-6);
    // AMASS trans (x, y, z) with z up → (x, z, −y): height 0.9 becomes y = 0.9.
    assert.ok(maxAbsDiff(m.trans, [1, 3, -2, 0, 0.9, 0]) < 1e-6);
  });

  it('converts the root translation exactly given the body\'s rest pelvis', () => {
    const pelvis = [0.003, -0.22, 0.028];
    const fx = amassNpz({ joints: 55, frames: 3, seed: 11 });
    const m = parseMotion(fx.bytes, { pelvis });
    const rand = prng(5);
    for (let f = 0; f < 3; f++) {
      // Any rest point x under the root joint: AMASS world R_root(x − p) + p + t, seen in y-up, must equal
      // the converted motion's R'_root(x − p) + p + t'.
      for (let k = 0; k < 4; k++) {
        const x = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
        const d = x.map((v, c) => v - pelvis[c]);
        const amass = apply(rootMatrix(fx.poses, f, 165), d).map((v, c) => v + pelvis[c] + fx.trans[f * 3 + c]);
        const expected = apply(R, amass);
        const actual = apply(rodrigues(m.poses, f * 72), d).map((v, c) => v + pelvis[c] + m.trans[f * 3 + c]);
        assert.ok(maxAbsDiff(actual, expected) < 1e-5, `frame ${f}`);
      }
    }
    // restJoints supplies the pelvis as well.
    const rest = new Float32Array(72);
    rest.set(pelvis);
    assert.ok(maxAbsDiff(parseMotion(fx.bytes, { restJoints: rest }).trans, m.trans) < 1e-6);
  });

  it("hands: 'middle-finger' takes the middle finger's base rotation (SMPL-H joint 25/40, SMPL-X 28/43)", () => {
    for (const [joints, left, right] of [[52, 25, 40], [55, 28, 43]] as const) {
      const fx = amassNpz({ joints, frames: 2, seed: joints + 1 });
      const m = parseMotion(fx.bytes, { hands: 'middle-finger' });
      for (let f = 0; f < 2; f++) {
        const row = f * joints * 3;
        assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 66, f * 72 + 69), fx.poses.slice(row + left * 3, row + left * 3 + 3)) < 1e-6);
        assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 69, f * 72 + 72), fx.poses.slice(row + right * 3, row + right * 3 + 3)) < 1e-6);
      }
    }
  });

  it('reads split root_orient / pose_body / pose_hand fields', () => {
    const rand = prng(12);
    const F = 2;
    const root = Array.from({ length: F * 3 }, () => rand() - 0.5);
    const body = Array.from({ length: F * 63 }, () => rand() - 0.5);
    const hand = Array.from({ length: F * 90 }, () => rand() - 0.5);
    const bytes = writeNpz({
      root_orient: { dtype: '<f8', shape: [F, 3], values: root },
      pose_body: { dtype: '<f8', shape: [F, 63], values: body },
      pose_hand: { dtype: '<f8', shape: [F, 90], values: hand },
      trans: { dtype: '<f8', shape: [F, 3], values: [0, 0, 1, 0, 0, 1] },
      mocap_frame_rate: { dtype: '<f8', shape: [], values: [60] },
    });
    const m = parseMotion(bytes, { hands: 'middle-finger' });
    assert.equal(m.fps, 60);
    for (let f = 0; f < F; f++) {
      assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 3, f * 72 + 66), body.slice(f * 63, f * 63 + 63)) < 1e-6);
      assert.ok(maxAbsDiff(rodrigues(m.poses, f * 72), mul(R, rodrigues(root, f * 3))) < 1e-6);
      // left_middle1 is the 4th left-hand joint (index1…3, middle1).
      assert.ok(maxAbsDiff(m.poses.subarray(f * 72 + 66, f * 72 + 69), hand.slice(f * 90 + 9, f * 90 + 12)) < 1e-6);
    }
  });

  it('uses options.fps only when the file has no frame rate', () => {
    const fx = amassNpz({ joints: 52, frames: 2, seed: 4, rateField: null });
    assert.throws(() => parseMotion(fx.bytes), (e: Error) => e instanceof AvatarFormatError && /mocap_framerate/.test(e.message));
    assert.equal(parseMotion(fx.bytes, { fps: 50 }).fps, 50);
    assert.equal(parseMotion(amassNpz({ joints: 52, frames: 2, seed: 4 }).bytes, { fps: 50 }).fps, 120);
    assert.throws(() => parseMotion(fx.bytes, { fps: -5 }), (e: Error) => e instanceof AvatarInputError && /options\.fps/.test(e.message));
  });

  it('rejects malformed arrays with AvatarFormatError naming the field', () => {
    const rate = { mocap_framerate: { dtype: '<f8', shape: [], values: [30] } as NpySpec };
    const rejects = (arrays: Record<string, NpySpec>, pattern: RegExp): void =>
      assert.throws(() => parseMotion(writeNpz({ ...rate, ...arrays })), (e: Error) => e instanceof AvatarFormatError && pattern.test(e.message), String(pattern));
    const f8 = (shape: number[], fill = 0): NpySpec => ({ dtype: '<f8', shape, values: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });
    rejects({ poses: f8([10, 69]) }, /motion\.poses: expected F×72 \(SMPL\), F×156 \(SMPL-H\) or F×165 \(SMPL-X\) floats with F ≥ 1, got 10×69 <f8/);
    rejects({ poses: f8([0, 156]) }, /motion\.poses.*got 0×156/);
    rejects({ poses: f8([156]) }, /motion\.poses/);
    rejects({ poses: { dtype: '<U3', shape: [1, 72], values: new Array(72).fill('abc') } }, /motion\.poses/);
    rejects({ poses: f8([2, 156], NaN) }, /motion\.poses: expected finite float32 numbers, element 0 is NaN/);
    rejects({ poses: f8([2, 156], 1e300) }, /motion\.poses: expected finite float32 numbers, element 0 is 1e\+300/);
    rejects({ poses: f8([2, 156]), trans: f8([3, 3]) }, /motion\.trans: expected 2×3/);
    rejects({ poses: f8([2, 156]), trans: f8([2, 3], Infinity) }, /motion\.trans: expected finite/);
    rejects({ poses: f8([2, 156]), betas: f8([16], NaN) }, /motion\.betas/);
    rejects({ poses: f8([2, 156]), mocap_framerate: f8([2], 30) }, /motion\.mocap_framerate/);
    rejects({ poses: f8([2, 156]), mocap_framerate: f8([], -30) }, /motion\.mocap_framerate/);
    rejects({ trans: f8([2, 3]) }, /motion\.poses: expected a `poses` array/);
    rejects({ root_orient: f8([2, 3]), pose_body: f8([2, 60]) }, /motion\.pose_body: expected 2×63/);
    // Without trans the root stays put.
    const m = parseMotion(writeNpz({ ...rate, poses: f8([2, 72]) }));
    assert.deepEqual(Array.from(m.trans), [0, 0, 0, 0, 0, 0]);
  });
});
