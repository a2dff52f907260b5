/**
 * `<gaussian-avatar>`: plays a 3D Gaussian avatar under a motion, declaratively. A thin shell:
 * each feature is one mixin in components/features/, over the player in src/player (which also
 * works without the element).
 *
 *   <gaussian-avatar motion="dance.json" autoplay loop></gaussian-avatar>
 *
 * Attributes: src, motion, autoplay, loop, playback-rate, camera-orbit, background, alt, mode.
 * Properties and methods: play(), pause(), currentTime, duration, paused, playbackRate,
 * loadAvatar(data | url), loadMotion(data | url), avatar, orbitBy(), limits (input size limits).
 * Events: load, progress (detail.fraction), error (detail.error, typed), play, pause,
 * timeupdate, ended (detail { currentTime, duration }), renderfallback (detail.reason: the page's
 * render worker could not be used; it plays on the main thread).
 */
import { property } from 'lit/decorators.js';
import { AccessibilityMixin } from './features/accessibility.js';
import { ControlsMixin } from './features/controls.js';
import { FallbackMixin } from './features/fallback.js';
import { FitModeMixin } from './features/fit-mode.js';
import { InputLimitsMixin } from './features/input-limits.js';
import { LoadingMixin } from './features/loading.js';
import { PlaybackMixin } from './features/playback.js';
import { StagingMixin } from './features/staging.js';
import { GaussianAvatarBase } from './gaussian-avatar-base.js';

/** What the element does: `playback` plays an avatar; `fit` builds one from a video (features/fit-mode.ts). */
export type GaussianAvatarMode = 'playback' | 'fit';

// Order matters only for $start: the fallback runs first and stops everything else without WebGPU.
export class GaussianAvatarElement extends FallbackMixin(
  FitModeMixin(AccessibilityMixin(ControlsMixin(StagingMixin(PlaybackMixin(LoadingMixin(InputLimitsMixin(GaussianAvatarBase))))))),
) {
  /** `playback` (the default) or `fit` (the fit panel over the canvas; see features/fit-mode.ts). Reflected. */
  @property({ reflect: true }) mode: GaussianAvatarMode = 'playback';
}

declare global {
  interface HTMLElementTagNameMap {
    'gaussian-avatar': GaussianAvatarElement;
  }
}
