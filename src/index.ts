/** `gaussian-avatar`: the browser SDK. */
export * from './errors.js';
export * from './body/index.js';
export { requestGpuDevice, type RequestGpuDeviceOptions } from './gpu/device.js';
export { createPrefixSum, type PrefixSum, type PrefixSumArgs } from './gpu/prefix-sum.js';
export { createRadixSorter, type RadixSorter, type RadixSortArgs } from './gpu/radix-sort.js';
export type { GpuCount, GpuPrimitiveOptions } from './gpu/indirect.js';
export { createGaussianSkinner, type GaussianSkinner, type GaussianSkinnerOptions, type SkinForwardArgs, type SkinBackwardArgs } from './render/gaussian-skinning.js';
export {
  createSplatRasterizer, type SplatRasterizer, type SplatGpuScene, type SplatForwardArgs, type SplatBackwardArgs,
  type SplatScene, type SplatCamera, type SplatGradients, type SplatRasterizerOptions, type StageTiming,
} from './render/splat-rasterizer.js';
export * from './avatar/index.js';
export { createAvatarRenderer, type AvatarRenderer, type AvatarRendererOptions, type AvatarFrame, type AvatarRenderPipeline } from './render/avatar-renderer.js';
export { renderAvatarImage, type RenderAvatarImageOptions } from './render/render-avatar-image.js';
export { orbitCamera, orbitEye, frameBox, DEFAULT_FOV_Y, type Orbit } from './render/orbit-camera.js';
export { createPlayer, Player, type PlayerOptions, type PlayerEventDetail, type PlayerTestHooks } from './player/create-player.js';
export type { PlayerState, PlayerEventType, PlayerAvatarInput, CanvasPixels, OrbitInput } from './player/player-types.js';
export { idleMotion } from './player/idle-motion.js';
export { parseMotionInWorker, PARSE_IN_WORKER_BYTES } from './worker/parse-motion-in-worker.js';
export * from './train/nn/index.js';
export * from './train/index.js';
export * from './capture/index.js';
export * from './fit/index.js';
