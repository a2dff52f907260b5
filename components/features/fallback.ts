/**
 * Fallback: without WebGPU the element shows a plain message in its own box (no player is
 * started, nothing is fetched) and fires 'error' with a WebGPUUnavailableError. The same message
 * appears when WebGPU exists but gives no adapter or device.
 */
import { WebGPUUnavailableError } from '../../src/errors.js';
import { $message, $reportError, $start, type GaussianAvatarBase } from '../gaussian-avatar-base.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** The message shown in place of the avatar. */
export const NO_WEBGPU_MESSAGE = 'This browser cannot show the 3D avatar: it needs WebGPU (a recent Chrome, Edge or Safari, or Firefox with WebGPU enabled).';

export const FallbackMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): T => {
  class FallbackElement extends Base {
    override [$start](): void {
      if (typeof navigator === 'undefined' || !navigator.gpu) {
        // Errors fire after the element's first update, so listeners added after creating it still hear them.
        queueMicrotask(() => this[$reportError](new WebGPUUnavailableError('navigator.gpu: expected the WebGPU API, got undefined (this browser has no WebGPU, or it is disabled)')));
        return;
      }
      this[$message] = '';
      super[$start]();
    }

    override [$reportError](error: unknown): void {
      if (error instanceof WebGPUUnavailableError) this[$message] = NO_WEBGPU_MESSAGE;
      super[$reportError](error);
    }
  }
  return FallbackElement;
};
