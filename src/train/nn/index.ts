/** The appearance network's GPU building blocks (see each module for buffer layouts). */
export { createMatmul, ACTIVATION_CODES, MATMUL_CHUNK_ROWS, MAX_MATMUL_ROWS, type Activation, type Matmul, type MatmulOptions, type MatmulShape, type MatmulForwardArgs, type MatmulBackwardInputArgs, type MatmulBackwardLayerArgs } from './matmul.js';
export { createMlp, type Mlp, type MlpOptions, type MlpForwardArgs, type MlpBackwardArgs, type HiddenActivation, type ParameterGroup } from './mlp.js';
export { createFeatureTensor, uvFromTexels, type FeatureTensor, type FeatureTensorOptions, type FeatureSampleArgs, type FeatureBackwardArgs } from './feature-tensor.js';
export { createAppearanceHeads, HEAD_INPUTS, type AppearanceHeads, type HeadOptions, type HeadForwardArgs, type HeadBackwardArgs } from './heads.js';
export { createPoseCodeBroadcast, type PoseCodeBroadcast, type PoseCodeArgs, type PoseCodeBackwardArgs } from './pose-code.js';
export { createAdam, type Adam, type AdamParam, type AdamOptions } from './adam.js';
export { createUNetEncoder, unetConvShapes, UNET_DEFAULT_WIDTHS, UNET_DEFAULT_INPUT_CHANNELS, UNET_LEAKY_SLOPE, type UNetEncoder, type UNetEncoderOptions, type UNetForwardArgs, type UNetBackwardArgs } from './unet-encoder.js';
export { createConv2d, convOutputSize, CONV_ACTIVATION_CODES, CONV_CHUNK_ROWS, type Conv2d, type Conv2dShape, type ConvActivation, type Conv2dForwardArgs, type Conv2dBackwardInputArgs, type Conv2dBackwardLayerArgs } from './conv2d.js';
export { createUpsampleConcat, type UpsampleConcat, type UpsampleConcatArgs, type UpsampleConcatBackwardArgs } from './upsample-concat.js';
export { createFeatureMapMask, type FeatureMapMask, type FeatureMapMaskArgs } from './feature-map-mask.js';
