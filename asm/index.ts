// AssemblyScript entry: one .wasm for rotations, forward kinematics, blend shapes, skinning and
// their reverse-mode gradients. Each concern lives in its own file and is re-exported here.
export { allocF32, allocF64, freeBuffer } from './memory';
export { createBody, disposeBody } from './body_layout';
export { precomputeJoints } from './joint_regression';
export { bodyForward, bodyForwardTransforms } from './body_forward';
export { bodyBackward, bodyBackwardTransforms } from './body_backward';
export {
  axisAnglesToMatrices, matricesToAxisAngles, axisAnglesToQuats, quatsToAxisAngles, quatsToMatrices,
  matricesToQuats, rot6dsToMatrices, matricesToRot6ds, quatsSlerp, forwardKinematicsBatch,
} from './pose_math';
// Descriptor field indices, exported as globals so JS never duplicates the layout.
export {
  F_V, F_J, F_B, F_BP, F_P, F_PP, F_NNZ, F_V_TEMPLATE, F_SHAPEDIRS, F_POSEDIRS, F_PARENTS, F_W_START,
  F_W_JOINT, F_W_VALUE, F_J_REGRESSOR, F_BETAS, F_POSE, F_TRANS, F_GRAD_VERTS, F_GRAD_TRANSFORMS,
  F_OUT_VERTS, F_OUT_JOINTS, F_OUT_TRANSFORMS, F_GRAD_POSE, F_GRAD_TRANS, F_GRAD_BETAS, F_COUNT,
} from './body_layout';
// Keypoint fit (SMPLify-style objective with exact gradient): descriptor, objective, layout indices.
export { createFit, disposeFit } from './fit_layout';
export { fitObjective, fitLandmarks } from './keypoint_fit';
export {
  FT_FRAMES, FT_LANDMARKS, FT_ENTRIES, FT_BETAS, FT_JOINTS, FT_PARAM_COUNT, FT_PARAMS, FT_KP2D, FT_KP3D,
  FT_ENTRY_START, FT_ENTRY_SOURCE, FT_ENTRY_WEIGHT, FT_LANDMARK_WEIGHT, FT_POSE_WEIGHT, FT_LIMIT_SIGN, FT_WEIGHTS,
  FT_GRAD, FT_TERMS, FT_FRAME_ERROR, FT_POINTS, FT_COUNT, W_2D, W_SIGMA_2D, W_3D, W_SIGMA_3D, W_LIMIT, W_SHAPE, W_SMOOTH_POSE,
  W_SMOOTH_TRANS, W_FOCAL, W_LOG_FOCAL_PRIOR, W_CX, W_CY, W_HIP_LEFT, W_HIP_RIGHT, W_COUNT, T_COUNT,
} from './fit_layout';
