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
