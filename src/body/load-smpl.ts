/**
 * `loadSmplModel`: an SMPL / SMPL-H / SMPL-X `.npz` (plus, optionally, its UV `.obj`) → a ready
 * `BodyModel`. Only the fields the body model needs are inflated and parsed, so npz files converted
 * from the official `.pkl` (with pickled extras) load as long as those fields are plain arrays.
 */
import { checkInputSize, resolveInputLimits } from '../io/input-limits.js';
import { readNpz, toBytes } from '../io/npz.js';
import { createBodyModel } from './body-model.js';
import { SMPL_NPZ_FIELDS, smplDataFromNpz, type SmplLoadOptions } from './smpl-npz-data.js';
import type { BodyModel } from './types.js';

export { smplDataFromNpz, SMPL_NPZ_FIELDS, type SmplLoadOptions } from './smpl-npz-data.js';

/**
 * Loads a body model from the bytes of an SMPL-family `.npz` (fields `v_template, shapedirs, posedirs,
 * J_regressor, weights, kintree_table, f`; see `smplDataFromNpz` for shapes). `options.uvObj` is the
 * text of a UV `.obj` over the same mesh (e.g. `smpl_uv.obj`); without it `uvs` is undefined.
 * Rejects with AvatarInputError for a bad argument, AvatarFormatError (naming the field) for a bad file,
 * InputTooLargeError for a file or entry above `options.limits` (checked before inflating).
 */
export async function loadSmplModel(data: ArrayBuffer | Uint8Array, options?: SmplLoadOptions): Promise<BodyModel> {
  const bytes = toBytes(data, 'loadSmplModel(data)');
  const limits = resolveInputLimits(typeof options === 'object' && options !== null ? options.limits : undefined, 'options.limits');
  checkInputSize('body model', bytes.length, limits, 'maxBodyModelBytes');
  const arrays = readNpz(bytes, { only: SMPL_NPZ_FIELDS, limits });
  return createBodyModel(smplDataFromNpz(arrays, options));
}
