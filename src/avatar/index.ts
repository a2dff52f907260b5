/**
 * Avatars: the Avatar type, `.gavatar` files, the default avatar, CPU posing and PLY export.
 */
export type { Avatar, AvatarMetadata, CanonicalGaussians, AppearanceNetworkWeights, NetworkTensor } from './types.js';
export { buildUvPositionalMap, bigPose, BIG_POSE_HIP_ANGLE } from './uv-positional-map.js';
export {
  saveAvatar, loadAvatar, AVATAR_FORMAT_NAME, AVATAR_FORMAT_VERSION, type SaveAvatarOptions, type LoadAvatarOptions,
} from './avatar-file.js';
export { createDefaultAvatar, DEFAULT_AVATAR_RESOLUTION, type DefaultAvatarOptions } from './default-avatar.js';
export {
  skinningMatrices, poseGaussians, evaluateAppearance, type PoseGaussiansParams, type PosedGaussians, type GaussianAppearance,
} from './pose-avatar.js';
export { exportPly, parsePly, SH_C0, EXPORT_OPACITY_LOGIT, type ExportPlyOptions, type ParsePlyOptions, type ParsedPly } from './ply.js';
