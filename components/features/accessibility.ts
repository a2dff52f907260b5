/**
 * Accessibility: the element is an image to assistive technology (role="img") labelled by its
 * `alt` attribute, or a default description; the canvas inside is hidden from it. The page's own
 * role / aria-label win.
 */
import { property } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { GaussianAvatarBase } from '../gaussian-avatar-base.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** aria-label when the page gives no `alt`. */
export const DEFAULT_ALT = 'An animated 3D avatar';

export interface AccessibilityInterface {
  alt: string | null;
}

export const AccessibilityMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<AccessibilityInterface> & T => {
  class AccessibilityElement extends Base {
    /** Text alternative announced for the avatar (aria-label). */
    @property({ reflect: true }) alt: string | null = null;
    /** Whether aria-label is ours to keep in sync (the page did not set its own). */
    private ownsLabel = false;

    override connectedCallback(): void {
      super.connectedCallback();
      if (!this.hasAttribute('role')) this.setAttribute('role', 'img');
      if (!this.hasAttribute('aria-label')) this.ownsLabel = true;
      this.syncLabel();
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      if (changed.has('alt')) this.syncLabel();
    }

    private syncLabel(): void {
      if (this.ownsLabel) this.setAttribute('aria-label', this.alt || DEFAULT_ALT);
    }
  }
  return AccessibilityElement;
};
