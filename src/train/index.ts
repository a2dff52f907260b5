/** Training: `trainAvatar` (in page or worker), its dataset types, the appearance network and pose refinement. */
export {
  trainAvatar, trainAvatarDetailed, resolveTrainOptions,
  type TrainAvatarOptions, type TrainLearningRates, type TrainingDataset, type TrainingCamera, type TrainingFrame, type TrainingImage,
  type TrainingProgress, type TrainingResult,
} from './train-avatar.js';
export { trainAvatarInWorker, trainAvatarInWorkerDetailed, type TrainInWorkerResult } from './train-in-worker.js';
export { prepareDataset, type PreparedDataset, type PreparedFrame } from './dataset.js';
export { createAppearanceNetwork, createPlaybackNetwork, type AppearanceNetwork, type AppearanceNetworkOptions, type AppearanceBackwardArgs } from './appearance-network.js';
export { APPEARANCE_ARCHITECTURE, appearanceConfigFromWeights, type AppearanceConfig } from './appearance-config.js';
export { evaluateNetworkAppearance, type NetworkAppearance } from './evaluate-network.js';
export { poseCode, poseCodeLength } from './pose-code.js';
export { PoseRefiner, poseGradientFromPosing, liveTransformGradient, posingMatrices, invertCanonicalTransforms, type PoseGradient, type PoseRefinerOptions } from './pose-refinement.js';
