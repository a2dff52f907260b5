/** The body fit's public API: SMPLify-style fit of the body to MediaPipe Pose keypoints. */
export { fitBodyToKeypoints, DEFAULT_FIT_WEIGHTS } from './fit-body.js';
export type { BodyFit, FitBodyOptions, FitCamera, FitProgress, FitWeights, KeypointFrame, KeypointSequence } from './types.js';
export {
  landmarkMapFor, landmarkMapWithVertices, MEDIAPIPE_POSE_LANDMARKS, MEDIAPIPE_POSE_LANDMARK_COUNT,
  DEFAULT_BODY_LANDMARK_VERTICES, SMPL_LANDMARK_VERTICES, type LandmarkMap, type LandmarkTerm,
} from './joint-map.js';
export { fitFromVideo, type FitFromVideoOptions, type FitFromVideoProgress, type FitPhase, type FitResult } from './fit-from-video.js';
export { datasetFromFit, maskToUnit, type FitFrameInput } from './dataset-from-fit.js';
export type { HeldOutPose } from './held-out-poses.js';
export { FIT_PRESETS, type FitPreset, type FitSettings } from './fit-settings.js';
export { assessFitFrames, type FrameQuality, type FrameQualityOptions } from './frame-quality.js';
export { instantAppearance, type InstantAppearance, type InstantAppearanceInput } from './instant-appearance.js';
export { projectAppearance, type ProjectAppearanceInput, type ProjectAppearanceOptions, type ProjectedAppearance, type ProjectionCamera, type ProjectionFrame } from './project-appearance.js';
export { fillUnseenColors, FillSource, type FilledColors, type FillOptions } from './fill-unseen-colors.js';
export { appearanceCoverage, MISSING_SIDE_FRACTION, type AppearanceCoverage, type BodySide, type SideCoverage } from './appearance-coverage.js';
