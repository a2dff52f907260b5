/** Training losses and metrics on the GPU (see each module for buffer layouts). */
export { createImageLoss, type ImageLoss, type ImageLossArgs, type ImageLossOptions } from './image-loss.js';
export { parseImageLossSummary, IMAGE_LOSS_SUMMARY_FIELDS, IMAGE_LOSS_SUMMARY_FLOATS, type ImageLossSummary } from './loss-summary.js';
export { createTargetCompositor, type TargetCompositor, type TargetCompositorOptions, type CompositeArgs } from './composite-target.js';
export { createRegularisers, type Regularisers, type RegularisersOptions, type TotalVariationArgs, type L2Args } from './regularisers.js';
export { createSumReducer, REDUCE_FAN_IN, type SumReducer, type SumReducerOptions, type SumArgs } from './reduce-sum.js';
export { psnrFromMse, PSNR_MIN_MSE } from './psnr.js';
