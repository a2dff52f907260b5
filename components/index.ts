/**
 * `gaussian-avatar/element`: defines `<gaussian-avatar>` (once, even if imported twice) and
 * exports its class and event detail types.
 */
import { GaussianAvatarElement } from './gaussian-avatar.js';

export { GaussianAvatarElement, type GaussianAvatarMode } from './gaussian-avatar.js';
export type { ErrorEventDetail } from './gaussian-avatar-base.js';
export type { ProgressEventDetail, AvatarInput } from './features/loading.js';
export type { PlaybackEventDetail, MotionInput } from './features/playback.js';
export type { InputLimits } from '../src/io/input-limits.js';
export { DEFAULT_INPUT_LIMITS } from '../src/io/input-limits.js';
export { NO_WEBGPU_MESSAGE } from './features/fallback.js';
export { parseCameraOrbit, parseBackground, parsePlaybackRate, resolveCameraOrbit, type CameraOrbitSpec, type BackgroundSpec } from './parsers.js';

if (typeof customElements !== 'undefined' && !customElements.get('gaussian-avatar')) {
  customElements.define('gaussian-avatar', GaussianAvatarElement);
}
