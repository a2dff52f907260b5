/**
 * Loading: the `src` attribute (a `.gavatar` URL; none = the default avatar), the `avatar`
 * property and `loadAvatar(data | url)`, with 'progress' (detail.fraction 0…1) and 'load' events.
 * A bad URL or a corrupt file fires 'error' (detail.error: AvatarInputError / AvatarFormatError)
 * and the avatar already shown keeps playing. A load superseded by a newer one is aborted and fires nothing.
 */
import { property } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { Avatar } from '../../src/avatar/types.js';
import { AbortError, AvatarInputError, describeValue } from '../../src/errors.js';
import type { PlayerAvatarInput } from '../../src/player/player-types.js';
import { blobBytes, fetchBytes } from '../fetch-bytes.js';
import { $reportError, $showAvatar, $start, $stop, type GaussianAvatarBase } from '../gaussian-avatar-base.js';
import { LatestLoad, supersededError, type LoadTicket } from '../latest-load.js';
import { inputLimitsOf } from './input-limits.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** What `loadAvatar` and the `avatar` property take: an Avatar, `.gavatar` bytes (also a Blob), or a URL. */
export type AvatarInput = Avatar | ArrayBuffer | Uint8Array | Blob | string | URL;

/** Detail of the element's 'progress' event. */
export interface ProgressEventDetail {
  /** 0 when a load starts, 1 when the avatar is on screen; download progress in between. */
  fraction: number;
}

export interface LoadingInterface {
  src: string | null;
  avatar: AvatarInput | null;
  loadAvatar(source: AvatarInput): Promise<void>;
}

/** Share of the progress bar given to the download; the rest is decoding and GPU upload. */
const DOWNLOAD_SHARE = 0.9;

export const LoadingMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<LoadingInterface> & T => {
  class LoadingElement extends Base {
    /** URL of a `.gavatar` file (resolved against the page). Without it the element shows the default avatar. */
    @property({ reflect: true }) src: string | null = null;

    /** The avatar load in progress; a newer one aborts it. */
    private readonly loads = new LatestLoad();
    private given: AvatarInput | null = null;

    /**
     * The avatar last given through this property or loadAvatar(); null when `src` (or the
     * default) is shown. Setting it loads it (errors fire 'error'); setting null goes back to `src`.
     */
    get avatar(): AvatarInput | null {
      return this.given;
    }

    set avatar(source: AvatarInput | null) {
      if (source === null || source === undefined) {
        if (this.given === null) return;
        this.given = null;
        if (this.isConnected && this.hasUpdated) this.startLoad();
        return;
      }
      this.loadAvatar(source).catch((e) => {
        if (!(e instanceof AbortError)) this[$reportError](e);
      });
    }

    /**
     * Shows an avatar: an Avatar, the bytes of a `.gavatar` file (ArrayBuffer, Uint8Array, Blob)
     * or its URL (string / URL). Resolves once it is on screen ('load' fires); rejects with a
     * typed error (the previous avatar stays; AbortError when a later load supersedes this one).
     * Called before the element is in the page, it resolves at once and the avatar shows on connection.
     */
    async loadAvatar(source: AvatarInput): Promise<void> {
      checkSource(source);
      this.given = source;
      // Before the element is in the page (and rendered) it is kept: showing it is the first thing it does there.
      if (this.isConnected && this.hasUpdated) await this.load(source, 'loadAvatar', true);
    }

    override [$start](): void {
      super[$start]();
      this.startLoad();
    }

    override [$stop](): void {
      super[$stop]();
      this.loads.abort(); // its download is of no use to an element that left the page
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      // The first render's src is loaded by $start; later changes load here.
      if (changed.has('src') && changed.get('src') !== undefined && this.isConnected && this.hasUpdated) {
        this.given = null;
        this.startLoad();
      }
    }

    private startLoad(): void {
      const source: AvatarInput | undefined = this.given ?? (this.src ? this.src : undefined);
      this.load(source, 'src', false).catch((e) => {
        if (!(e instanceof AbortError)) this[$reportError](e);
      });
    }

    /**
     * Fetches (URL), reads (Blob) and shows; fires progress and load. Starting it aborts the load
     * before (latest-load.ts): a superseded load fires nothing, whatever became of it.
     */
    private async load(source: AvatarInput | undefined, field: string, rethrowStale: boolean): Promise<void> {
      const ticket = this.loads.start();
      try {
        await this.fetchAndShow(source, field, ticket);
      } catch (e) {
        if (ticket.isCurrent()) throw e;
        if (rethrowStale) throw supersededError(field);
      }
    }

    private async fetchAndShow(source: AvatarInput | undefined, field: string, ticket: LoadTicket): Promise<void> {
      const progress = (fraction: number) => {
        if (ticket.isCurrent()) this.dispatchEvent(new CustomEvent<ProgressEventDetail>('progress', { detail: { fraction } }));
      };
      progress(0);
      let input: PlayerAvatarInput | undefined;
      const limits = inputLimitsOf(this);
      if (typeof source === 'string' || source instanceof URL) {
        input = await fetchBytes(String(source), field, {
          onProgress: (f) => progress(f * DOWNLOAD_SHARE), signal: ticket.signal, limit: { limits, option: 'maxAvatarBytes' },
        });
      } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
        input = await blobBytes(source, field, limits, 'maxAvatarBytes');
      } else {
        input = source as Exclude<AvatarInput, Blob | string | URL> | undefined;
      }
      ticket.throwIfSuperseded(field);
      progress(DOWNLOAD_SHARE);
      await this[$showAvatar](input, ticket.isCurrent);
      // Also when it was shown: a newer load started meanwhile and will replace it.
      ticket.throwIfSuperseded(field);
      progress(1);
      this.dispatchEvent(new CustomEvent('load', { detail: { src: typeof source === 'string' || source instanceof URL ? String(source) : null } }));
    }
  }
  return LoadingElement;
};

function checkSource(source: unknown): asserts source is AvatarInput {
  const ok =
    typeof source === 'string' ||
    source instanceof URL ||
    source instanceof ArrayBuffer ||
    source instanceof Uint8Array ||
    (typeof Blob !== 'undefined' && source instanceof Blob) ||
    (source !== null && typeof source === 'object' && 'gaussians' in source && 'body' in source);
  if (!ok) throw new AvatarInputError(`avatar: expected an Avatar, .gavatar bytes (ArrayBuffer, Uint8Array, Blob) or a URL, got ${describeValue(source)}`);
}
