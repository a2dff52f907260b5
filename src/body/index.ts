/**
 * `gaussian-avatar/body`: the SMPL-convention body model (WebAssembly), its loaders and the
 * default body. Runs in Node ≥ 20 and in browsers.
 */
export type { BodyModel, BodyModelData, BodyParams, BodyForwardResult, BodyGradients } from './types.js';
export { AvatarFormatError, AvatarInputError, InputTooLargeError } from '../errors.js';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from '../io/input-limits.js';
export { createBodyModel } from './body-model.js';
export { loadPoseMath, type PoseMath } from './pose-math.js';
export { loadSmplModel, smplDataFromNpz, type SmplLoadOptions } from './load-smpl.js';
export { parseUvObj, type UvLayout } from './uv-obj.js';
export { readNpz, listNpz, type ReadNpzOptions, type NpyArray, type NpyData } from '../io/npz.js';
export { createDefaultBody, defaultBodyData } from './default-body.js';
