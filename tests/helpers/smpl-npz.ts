// Builds SMPL-shaped .npz files (as numpy.savez writes them from the official models) from a
// BodyModelData, in any float dtype / element order / compression, with the extra fields real files
// carry (strings, pickled objects) so loaders must skip what they do not need.
import type { BodyModelData } from '../../src/body/types.js';
import { writeNpy, writeNpz, type NpySpec } from './npz-writer.js';

export interface SmplNpzVariant {
  /** dtype of the float fields, e.g. '<f8' (official files), '<f4', '>f8'. */
  floatDtype?: string;
  /** dtype of kintree_table and f, e.g. '<i8' (official), '<u4', '<i4'. */
  intDtype?: string;
  fortranOrder?: boolean;
  /** 0 = np.savez (stored), 6 = np.savez_compressed (deflated). */
  level?: 0 | 6;
  /** How the root's parent is stored: 4294967295 (SMPL's int64 table) or −1. */
  rootParent?: number;
  /** Add fields a loader must ignore: a pickled object array, strings, an unrelated int array. */
  extras?: boolean;
}

/** An .npy holding a (fake) pickled object array: the header says '|O'. */
export function objectArrayNpy(): Uint8Array {
  const npy = writeNpy({ dtype: '<f4', shape: [1], values: [0] });
  const at = new TextDecoder('latin1').decode(npy).indexOf("'<f4'");
  const out = npy.slice();
  out.set(new TextEncoder().encode("'|O' "), at);
  return out;
}

export function smplNpzFields(data: BodyModelData, variant: SmplNpzVariant = {}): Record<string, NpySpec | Uint8Array> {
  const fd = variant.floatDtype ?? '<f8';
  const id = variant.intDtype ?? '<i8';
  const fortranOrder = variant.fortranOrder ?? false;
  const V = data.vTemplate.length / 3;
  const J = data.parents.length;
  const B = data.numBetas;
  const big = id.endsWith('8');
  const int = (v: number) => (big ? BigInt(v) : v);
  const root = variant.rootParent ?? (id[1] === 'u' || big ? 4294967295 : -1);
  const kintree = [...Array.from(data.parents, (p, j) => int(j === 0 ? root : p)), ...Array.from({ length: J }, (_, j) => int(j))];
  const fields: Record<string, NpySpec | Uint8Array> = {
    v_template: { dtype: fd, shape: [V, 3], values: data.vTemplate, fortranOrder },
    shapedirs: { dtype: fd, shape: [V, 3, B], values: data.shapedirs, fortranOrder },
    J_regressor: { dtype: fd, shape: [J, V], values: data.jRegressor, fortranOrder },
    weights: { dtype: fd, shape: [V, J], values: data.weights, fortranOrder },
    kintree_table: { dtype: id, shape: [2, J], values: kintree, fortranOrder },
    f: { dtype: id, shape: [data.faces.length / 3, 3], values: Array.from(data.faces, int), fortranOrder },
  };
  if (data.posedirs.length) fields.posedirs = { dtype: fd, shape: [V, 3, 9 * (J - 1)], values: data.posedirs, fortranOrder };
  if (variant.extras) {
    fields.J_regressor_prior = objectArrayNpy();
    fields.bs_style = { dtype: '<U3', shape: [], values: ['lbs'] };
    fields.bs_type = { dtype: '|S7', shape: [], values: ['lrotmin'] };
    fields.vert_sym_idxs = { dtype: '<i8', shape: [V], values: Array.from({ length: V }, (_, i) => BigInt(V - 1 - i)) };
  }
  return fields;
}

/** The .npz bytes of `data` in the given variant. */
export function smplNpz(data: BodyModelData, variant: SmplNpzVariant = {}): Uint8Array {
  return writeNpz(smplNpzFields(data, variant), variant.level ?? 0);
}
