/** The appearance network's GPU building blocks (see each module for buffer layouts). */
export { createMatmul, ACTIVATION_CODES, MATMUL_CHUNK_ROWS, MAX_MATMUL_ROWS, type Activation, type Matmul, type MatmulOptions, type MatmulShape, type MatmulForwardArgs, type MatmulBackwardInputArgs, type MatmulBackwardLayerArgs } from './matmul.js';
export { createMlp, type Mlp, type MlpOptions, type MlpForwardArgs, type MlpBackwardArgs, type HiddenActivation, type ParameterGroup } from './mlp.js';
export { createFeatureTensor, uvFromTexels, type FeatureTensor, type FeatureTensorOptions, type FeatureSampleArgs, type FeatureBackwardArgs } from './feature-tensor.js';
export { createAppearanceHeads, HEAD_INPUTS, type AppearanceHeads, type HeadOptions, type HeadForwardArgs, type HeadBackwardArgs } from './heads.js';
export { createPoseCodeBroadcast, type PoseCodeBroadcast, type PoseCodeArgs, type PoseCodeBackwardArgs } from './pose-code.js';
export { createAdam, type Adam, type AdamParam, type AdamOptions } from './adam.js';
