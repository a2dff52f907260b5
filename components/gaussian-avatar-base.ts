/**
 * The element's core, under the feature mixins (components/features/*.ts): renders the canvas,
 * creates the player (src/player) on the first avatar, destroys it when the element leaves the
 * page, and offers the hooks the mixins extend. Members are symbol-keyed so that they stay out of
 * the element's public surface; each hook override calls `super`.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import { AbortError, GaussianAvatarError } from '../src/errors.js';
import { createPlayer, type Player, type PlayerOptions } from '../src/player/create-player.js';
import type { PlayerAvatarInput } from '../src/player/player-types.js';
import { inputLimitsOf } from './features/input-limits.js';

/** The player once created (null before the first avatar and after disconnection). */
export const $player = Symbol('player');
/** Hook: options for createPlayer (each mixin adds its own). */
export const $playerOptions = Symbol('playerOptions');
/** Hook: the player exists (attach listeners, apply state kept while it did not). */
export const $onPlayerCreated = Symbol('onPlayerCreated');
/** Hook: the element is connected and rendered; start loading. */
export const $start = Symbol('start');
/** Hook: the element left the page; the player is gone. */
export const $stop = Symbol('stop');
/** Hook: report an error as an 'error' event (mixins may also show it). */
export const $reportError = Symbol('reportError');
/** Shows an avatar: creates the player with it, or hands it to the player (serialised). */
export const $showAvatar = Symbol('showAvatar');
/** Promises that player creation waits for (e.g. the first motion), so playback starts on them. */
export const $creationGates = Symbol('creationGates');
/** The text shown over the canvas (fallback message), or '' for none. */
export const $message = Symbol('message');
/** Size of the host's content box in CSS pixels, and the device pixel ratio. */
export const $boxSize = Symbol('boxSize');
/** Bumped on every start/stop, so work begun for an earlier connection can tell it is stale. */
export const $generation = Symbol('generation');

/** Default size when the page gives the element none: portrait, a standing person fits it. */
const DEFAULT_WIDTH = 300;
const DEFAULT_HEIGHT = 400;

/** Detail of the element's 'error' event. */
export interface ErrorEventDetail {
  /** A typed error from src/errors.ts (AvatarFormatError, AvatarInputError, WebGPUUnavailableError, GpuDeviceError, …). */
  error: Error;
}

export class GaussianAvatarBase extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      position: relative;
      width: ${DEFAULT_WIDTH}px;
      height: ${DEFAULT_HEIGHT}px;
      overflow: hidden;
      contain: strict;
    }
    :host([hidden]) { display: none; }
    :host(:focus-visible) { outline: 2px solid Highlight; outline-offset: -2px; }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
      touch-action: none;
      cursor: grab;
    }
    canvas:active { cursor: grabbing; }
    .message {
      position: absolute;
      inset: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 1em;
      box-sizing: border-box;
      text-align: center;
      font: 14px/1.4 system-ui, sans-serif;
      color: #e8e8ea;
      background: #16181d;
    }
  `;

  [$player]: Player | null = null;
  @state() [$message] = '';
  [$creationGates]: Promise<unknown>[] = [];
  [$generation] = 0;
  /** The canvas the next player draws on (a worker player takes it over, so each player gets a fresh one). */
  private canvas = this.newCanvas();
  private creating: Promise<Player> | null = null;
  private avatarQueue: Promise<unknown> = Promise.resolve();
  private started = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.updateComplete.then(() => this.startOnce());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (!this.started) return;
    this.started = false;
    this[$generation]++;
    const player = this[$player];
    this[$player] = null;
    this.creating = null;
    this[$creationGates] = [];
    this.canvas = this.newCanvas();
    this.requestUpdate();
    void player?.destroy().catch(() => undefined);
    this[$stop]();
  }

  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    this.startOnce();
  }

  protected override render() {
    return html`${this.canvas}${this[$message] ? html`<div class="message" part="message" role="status">${this[$message]}</div>` : ''}`;
  }

  private startOnce(): void {
    if (this.started || !this.isConnected) return;
    this.started = true;
    this[$generation]++;
    this[$start]();
  }

  private newCanvas(): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.setAttribute('part', 'canvas');
    canvas.setAttribute('aria-hidden', 'true'); // the host carries the role and label
    return canvas;
  }

  // ---- hooks (mixins override and call super) -------------------------------------------------

  [$start](): void {}

  [$stop](): void {}

  [$playerOptions](): PlayerOptions {
    return { autoplay: false };
  }

  [$onPlayerCreated](_player: Player): void {}

  /** Fires 'error' (cancelable: logged to the console unless a listener calls preventDefault()). */
  [$reportError](error: unknown): void {
    const typed = error instanceof Error ? error : new GaussianAvatarError(String(error));
    const event = new CustomEvent<ErrorEventDetail>('error', { detail: { error: typed }, cancelable: true });
    if (this.dispatchEvent(event)) console.error('<gaussian-avatar>:', typed);
  }

  [$boxSize](): { width: number; height: number; dpr: number } {
    const box = this.getBoundingClientRect();
    const dpr = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
    return { width: box.width >= 1 ? box.width : DEFAULT_WIDTH, height: box.height >= 1 ? box.height : DEFAULT_HEIGHT, dpr };
  }

  // ---- the player ---------------------------------------------------------------------------

  /**
   * Shows `avatar` (undefined = the default avatar). Calls run one after another in call order;
   * `isCurrent` is asked just before the avatar goes to the player, so a superseded load is
   * dropped (resolves false). Rejects with AbortError when the element left the page meanwhile.
   */
  [$showAvatar](avatar: PlayerAvatarInput | undefined, isCurrent: () => boolean = () => true): Promise<boolean> {
    const generation = this[$generation];
    const run = async (): Promise<boolean> => {
      if (generation !== this[$generation]) throw new AbortError('element: it left the page before the avatar was shown');
      if (!isCurrent()) return false;
      const player = this[$player];
      if (player) {
        // The player takes undefined as the default avatar (its core loads it); the type names only files and Avatars.
        await player.loadAvatar(avatar as PlayerAvatarInput, { limits: inputLimitsOf(this) });
      } else {
        await this.createWith(avatar, generation);
      }
      return true;
    };
    const result = this.avatarQueue.then(run, run);
    this.avatarQueue = result.catch(() => undefined);
    return result;
  }

  private async createWith(avatar: PlayerAvatarInput | undefined, generation: number): Promise<Player> {
    await Promise.allSettled(this[$creationGates]);
    if (generation !== this[$generation]) throw new AbortError('element: it left the page before the player started');
    const { width, height, dpr } = this[$boxSize]();
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    const options: PlayerOptions = { ...this[$playerOptions](), autoplay: false, limits: inputLimitsOf(this) };
    if (avatar !== undefined) options.avatar = avatar;
    this.creating = createPlayer(this.canvas, options);
    let player: Player;
    try {
      player = await this.creating;
    } catch (e) {
      // A player that failed has claimed its canvas (a worker may have taken it over): use a new one.
      this.canvas = this.newCanvas();
      this.requestUpdate();
      throw e;
    } finally {
      this.creating = null;
    }
    if (generation !== this[$generation]) {
      void player.destroy().catch(() => undefined);
      throw new AbortError('element: it left the page while the player started');
    }
    this[$player] = player;
    this[$onPlayerCreated](player);
    // The page's render worker could not be used: say so (the player draws on the main thread).
    if (player.renderFallback !== null) this.dispatchEvent(new CustomEvent('renderfallback', { detail: { reason: player.renderFallback } }));
    return player;
  }
}
