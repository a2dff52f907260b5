/**
 * `gaussian-avatar/motion`: motion files (AMASS `.npz`, BVH, the project's JSON) → SMPL poses in
 * the body's convention, sampling at any time, and saving as JSON. Runs in Node ≥ 20 and browsers.
 */
export type { Motion, MotionSample, MotionSource, ParseMotionOptions, BvhJointMap, SmplJointName } from './types.js';
export { SMPL_JOINT_NAMES, SMPL_PARENTS } from './types.js';
export { parseMotion } from './parse-motion.js';
export { sampleMotion, motionDuration, type SampleMotionOptions } from './sample-motion.js';
export { saveMotion, MOTION_JSON_FORMAT, MOTION_JSON_VERSION } from './motion-json.js';
export { NOMINAL_SMPL_REST_JOINTS } from './rest-skeleton.js';
export { CMU_RIG, MIXAMO_RIG } from './bvh-rig-maps.js';
export { AvatarFormatError, AvatarInputError, InputTooLargeError } from '../errors.js';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from '../io/input-limits.js';
