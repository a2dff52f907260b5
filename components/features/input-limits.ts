/**
 * Input limits: the `limits` property (InputLimits from src/io/input-limits.ts: motion and avatar
 * file sizes, motion frames, zip entries…), applied by the loading and playback features to what
 * they download and parse. A motion or avatar above a limit fires 'error' with InputTooLargeError
 * (naming the limit to raise) and what was playing keeps playing.
 *
 *   el.limits = { maxMotionBytes: 256 * 2 ** 20, maxMotionFrames: 400_000 };   // the rest keep their defaults
 */
import { DEFAULT_INPUT_LIMITS, resolveInputLimits, type InputLimits } from '../../src/io/input-limits.js';
import type { GaussianAvatarBase } from '../gaussian-avatar-base.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

const $limits = Symbol('limits');

export interface InputLimitsInterface {
  get limits(): InputLimits;
  set limits(value: InputLimits | null);
}

export const InputLimitsMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<InputLimitsInterface> & T => {
  class InputLimitsElement extends Base {
    [$limits]: Required<InputLimits> = { ...DEFAULT_INPUT_LIMITS };

    /**
     * Every limit in force (a copy). Setting it takes the keys given over the defaults (null: the
     * defaults); an unknown key or a value that is not a number ≥ 0 throws AvatarInputError.
     * Applies to loads started afterwards.
     */
    get limits(): InputLimits {
      return { ...this[$limits] };
    }

    set limits(value: InputLimits | null) {
      this[$limits] = resolveInputLimits(value ?? undefined, 'limits');
    }
  }
  return InputLimitsElement;
};

/** The limits in force on `element` (the defaults for an element without InputLimitsMixin). */
export function inputLimitsOf(element: object): Required<InputLimits> {
  return (element as { [$limits]?: Required<InputLimits> })[$limits] ?? DEFAULT_INPUT_LIMITS;
}
