/**
 * Converts the arrays of an SMPL / SMPL-H / SMPL-X `.npz` (as written by `numpy.savez` from the
 * official files, e.g. smplx's `SMPL_NEUTRAL.npz`) into `BodyModelData`. Pure and synchronous, so the
 * conversion can be tested without the WebAssembly body model.
 *
 * Fields read (every other field is ignored, never parsed):
 * - `v_template` V×3 float — rest vertices, metres;
 * - `shapedirs` V×3×B float — shape blend shapes (optional: missing → B = 0);
 * - `posedirs` V×3×P float with P = 9·(J−1) — pose correctives (optional: missing → none; also
 *   accepted: smplx's transposed P×3V, and V×3×207 body-only correctives for models with J > 24);
 * - `J_regressor` J×V float, dense;
 * - `weights` V×J float — skinning weights;
 * - `kintree_table` 2×J int — row 0 the parent of each joint (the root's stored as −1 or a huge
 *   unsigned value such as 4294967295), row 1 the joint ids 0…J−1;
 * - `f` F×3 int — triangles.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import type { InputLimits } from '../io/input-limits.js';
import type { NpyArray } from '../io/npy.js';
import { describeNpy, npyToFloat32, npyToIntegers } from '../io/npy-arrays.js';
import type { BodyModelData } from './types.js';
import { parseUvObj } from './uv-obj.js';

/** The npz fields `smplDataFromNpz` reads. */
export const SMPL_NPZ_FIELDS = ['v_template', 'shapedirs', 'posedirs', 'J_regressor', 'weights', 'kintree_table', 'f'] as const;

export interface SmplLoadOptions {
  /** Text of a UV `.obj` over the model's vertices (e.g. `smpl_uv.obj`). Without it the model has no UVs. */
  uvObj?: string;
  /**
   * Keep at most this many shape components (e.g. 10 of SMPL-X's 400: shape 0…299, expression 300…399).
   * Default: all of them.
   */
  numBetas?: number;
  /**
   * loadSmplModel only: input limits (src/io/input-limits.ts): `maxBodyModelBytes` (the `.npz`,
   * default 512 MiB), `maxEntryBytes` and `maxInflatedBytes`. Over a limit → InputTooLargeError.
   */
  limits?: InputLimits;
}

/** Roots store "no parent" as −1 or as a huge unsigned number (4294967295 in SMPL's int64 table). */
function isNoParent(p: number): boolean {
  return p < 0 || p >= 2 ** 31 - 1;
}

function checkOptions(options: unknown): SmplLoadOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AvatarInputError(`options: expected an object { uvObj?, numBetas? }, got ${describeValue(options)}`);
  }
  const o = options as SmplLoadOptions;
  if (o.uvObj !== undefined && typeof o.uvObj !== 'string') {
    throw new AvatarInputError(`options.uvObj: expected the .obj file's text as a string, got ${describeValue(o.uvObj)}`);
  }
  if (o.numBetas !== undefined && !(Number.isInteger(o.numBetas) && o.numBetas >= 0)) {
    throw new AvatarInputError(`options.numBetas: expected an integer ≥ 0, got ${describeValue(o.numBetas)}`);
  }
  return o;
}

/**
 * Builds `BodyModelData` from the arrays of an SMPL-family npz (see the module comment for the fields
 * and shapes). Throws AvatarFormatError naming the field and what was expected, AvatarInputError for
 * bad options.
 */
export function smplDataFromNpz(arrays: ReadonlyMap<string, NpyArray>, options?: SmplLoadOptions): BodyModelData {
  if (!(arrays instanceof Map)) {
    throw new AvatarInputError(`arrays: expected a Map of npz arrays (from readNpz), got ${describeValue(arrays)}`);
  }
  const opts = checkOptions(options);
  const get = (name: string, expected: string): NpyArray => {
    const a = arrays.get(name);
    if (!a) throw new AvatarFormatError(`${name}: missing from the npz (expected ${expected})`);
    return a;
  };
  const shapeIs = (a: NpyArray, dims: number[]) => a.shape.length === dims.length && a.shape.every((d, i) => d === dims[i]);

  const vt = get('v_template', 'V×3 floats');
  if (vt.shape.length !== 2 || vt.shape[1] !== 3 || vt.shape[0] < 1) {
    throw new AvatarFormatError(`v_template: expected V×3 floats with V ≥ 1, got ${describeNpy(vt)}`);
  }
  const V = vt.shape[0];
  const vTemplate = npyToFloat32(vt, 'v_template');

  const kt = get('kintree_table', '2×J integers');
  if (kt.shape.length !== 2 || kt.shape[0] !== 2 || kt.shape[1] < 1) {
    const hint = kt.shape.length === 2 && kt.shape[1] === 2 ? ' (transposed? expected 2 rows)' : '';
    throw new AvatarFormatError(`kintree_table: expected 2×J integers with J ≥ 1, got ${describeNpy(kt)}${hint}`);
  }
  const J = kt.shape[1];
  const tree = npyToIntegers(kt, 'kintree_table');
  const parents = new Int32Array(J);
  for (let j = 0; j < J; j++) {
    if (tree[J + j] !== j) {
      throw new AvatarFormatError(
        `kintree_table: expected row 1 to hold the joint ids 0…${J - 1} in order, got ${tree[J + j]} at column ${j}`,
      );
    }
    const p = tree[j];
    if (j === 0) {
      if (!isNoParent(p)) {
        throw new AvatarFormatError(`kintree_table: expected the root (joint 0) to have no parent (−1 or 4294967295), got ${p}`);
      }
      parents[0] = -1;
    } else {
      if (!(p >= 0 && p < j)) {
        throw new AvatarFormatError(
          `kintree_table: expected the parent of joint ${j} to be a joint 0…${j - 1} (root first, parents before children), got ${p}`,
        );
      }
      parents[j] = p;
    }
  }

  const jr = get('J_regressor', `J×V = ${J}×${V} floats (dense)`);
  if (!shapeIs(jr, [J, V])) {
    const hint = shapeIs(jr, [V, J]) ? ' (transposed?)' : jr.shape.length !== 2 ? ' (it must be a dense 2-D array)' : '';
    throw new AvatarFormatError(
      `J_regressor: expected a dense J×V = ${J}×${V} float array (J from kintree_table, V from v_template), got ${describeNpy(jr)}${hint}`,
    );
  }
  const jRegressor = npyToFloat32(jr, 'J_regressor');

  const w = get('weights', `V×J = ${V}×${J} floats`);
  if (!shapeIs(w, [V, J])) {
    throw new AvatarFormatError(
      `weights: expected V×J = ${V}×${J} floats (V from v_template, J from kintree_table), got ${describeNpy(w)}`,
    );
  }
  const weights = npyToFloat32(w, 'weights');

  let shapedirs: Float32Array = new Float32Array(0);
  let numBetas = 0;
  const sd = arrays.get('shapedirs');
  if (sd) {
    if (sd.shape.length !== 3 || sd.shape[0] !== V || sd.shape[1] !== 3) {
      throw new AvatarFormatError(`shapedirs: expected V×3×B with V=${V} from v_template, got ${describeNpy(sd)}`);
    }
    const all = npyToFloat32(sd, 'shapedirs');
    const B = sd.shape[2];
    numBetas = Math.min(B, opts.numBetas ?? B);
    shapedirs = numBetas === B ? all : keepLeading(all, V * 3, B, numBetas);
  }

  let posedirs: Float32Array = new Float32Array(0);
  const pd = arrays.get('posedirs');
  if (pd) posedirs = readPosedirs(pd, V, J);

  const fa = get('f', 'F×3 vertex indices');
  if (fa.shape.length !== 2 || fa.shape[1] !== 3 || fa.shape[0] < 1) {
    throw new AvatarFormatError(`f: expected F×3 vertex indices with F ≥ 1, got ${describeNpy(fa)}`);
  }
  const faceValues = npyToIntegers(fa, 'f');
  const faces = new Uint32Array(faceValues.length);
  for (let i = 0; i < faceValues.length; i++) {
    const v = faceValues[i];
    if (!(v >= 0 && v < V)) {
      throw new AvatarFormatError(`f: expected vertex indices 0…${V - 1} (V from v_template), got ${v} at face ${Math.floor(i / 3)}`);
    }
    faces[i] = v;
  }

  const data: BodyModelData = { vTemplate, shapedirs, numBetas, posedirs, jRegressor, weights, parents, faces };
  if (opts.uvObj !== undefined) {
    const { uvs, uvFaces } = parseUvObj(opts.uvObj, faces, V, 'uvObj');
    data.uvs = uvs;
    data.uvFaces = uvFaces;
  }
  return data;
}

/**
 * posedirs as V×3×P (P = 9·(J−1)), accepting also smplx's in-memory layout P×3V (transposed) and,
 * for models with more than SMPL's 24 joints, correctives for the 23 body joints only (V×3×207),
 * zero-padded for the other joints (the pose feature is joint-major, so those come first).
 */
function readPosedirs(pd: NpyArray, V: number, J: number): Float32Array {
  const P = 9 * (J - 1);
  const s = pd.shape;
  if (s.length === 3 && s[0] === V && s[1] === 3 && (s[2] === P || (J > 24 && s[2] === 207))) {
    const values = npyToFloat32(pd, 'posedirs');
    return s[2] === P ? values : padComponents(values, V * 3, 207, P);
  }
  if (s.length === 2 && s[0] === P && s[1] === 3 * V) {
    const t = npyToFloat32(pd, 'posedirs'); // P×3V → V×3×P
    const out = new Float32Array(V * 3 * P);
    for (let p = 0; p < P; p++) for (let r = 0; r < 3 * V; r++) out[r * P + p] = t[p * 3 * V + r];
    return out;
  }
  throw new AvatarFormatError(
    `posedirs: expected V×3×P = ${V}×3×${P} floats (P = 9·(J−1), J=${J} from kintree_table; or P×3V), got ${describeNpy(pd)}`,
  );
}

/** Copies a rows×B row-major array into rows×P (P ≥ B), zero-filling components B…P−1. */
function padComponents(values: Float32Array, rows: number, B: number, P: number): Float32Array {
  const out = new Float32Array(rows * P);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * B, r * B + B), r * P);
  return out;
}

/** Keeps the first `keep` of `B` components of a rows×B row-major array. */
function keepLeading(all: Float32Array, rows: number, B: number, keep: number): Float32Array {
  const out = new Float32Array(rows * keep);
  for (let r = 0; r < rows; r++) out.set(all.subarray(r * B, r * B + keep), r * keep);
  return out;
}
