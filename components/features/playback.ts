/**
 * Playback: the `motion` (URL; none = a standing idle), `autoplay`, `loop` and `playback-rate`
 * attributes, `play()` / `pause()` / `currentTime` / `duration` / `paused` / `playbackRate` /
 * `loadMotion(data | url)`, and the play, pause, timeupdate and ended events (re-fired from the
 * player; detail { currentTime, duration } in seconds). Playback starts only after 'load'.
 */
import { property } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { AbortError, AvatarInputError, describeValue } from '../../src/errors.js';
import type { InputLimits } from '../../src/io/input-limits.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import type { Motion } from '../../src/motion/types.js';
import type { Player, PlayerEventDetail, PlayerOptions } from '../../src/player/create-player.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { PARSE_IN_WORKER_BYTES, parseMotionInWorker } from '../../src/worker/parse-motion-in-worker.js';
import { blobBytes, fetchBytes } from '../fetch-bytes.js';
import {
  $creationGates, $onPlayerCreated, $player, $playerOptions, $reportError, $start, $stop, type GaussianAvatarBase,
} from '../gaussian-avatar-base.js';
import { LatestLoad, supersededError } from '../latest-load.js';
import { parsePlaybackRate } from '../parsers.js';
import { inputLimitsOf } from './input-limits.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** What `loadMotion` takes: a Motion (parseMotion), a motion file's bytes (npz, bvh, json; also a Blob) or its URL. */
export type MotionInput = Motion | ArrayBuffer | Uint8Array | Blob | string | URL;

/** Detail of play, pause, timeupdate and ended. */
export interface PlaybackEventDetail {
  /** Seconds into the motion. */
  currentTime: number;
  /** Length of the motion, seconds. */
  duration: number;
}

export interface PlaybackInterface {
  motion: string | null;
  autoplay: boolean;
  loop: boolean;
  playbackRate: number;
  currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  play(): Promise<void>;
  pause(): Promise<void>;
  loadMotion(source: MotionInput): Promise<void>;
}

const FORWARDED_EVENTS = ['play', 'pause', 'timeupdate', 'ended'] as const;

export const PlaybackMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<PlaybackInterface> & T => {
  class PlaybackElement extends Base {
    /** URL of a motion file (AMASS .npz, .bvh or the project's .json). Without it: a standing, breathing idle. */
    @property({ reflect: true }) motion: string | null = null;
    /** Start playing once the avatar is loaded. */
    @property({ type: Boolean, reflect: true }) autoplay = false;
    /** Loop the motion (otherwise playback stops at its end with 'pause' then 'ended'). */
    @property({ type: Boolean, reflect: true }) loop = false;
    /** The `playback-rate` attribute as written (parsed with parsePlaybackRate). */
    @property({ attribute: 'playback-rate', reflect: true }) private rateText: string | null = null;

    /** The motion to play (null = the player's idle). */
    private motionData: Motion | null = null;
    /** The motion handed to createPlayer (to catch one that arrived while the player started). */
    private sentMotion: Motion | null = null;
    /** The motion load in progress; a newer one aborts it. */
    private readonly motionLoads = new LatestLoad();
    private wantPlay = false;
    private pendingSeek: number | null = null;

    /** Playback speed, 0…16 (1 = real time); reflects `playback-rate`. Throws AvatarInputError out of range. */
    get playbackRate(): number {
      const player = this[$player];
      if (player) return player.playbackRate;
      try {
        return this.rateText === null ? 1 : parsePlaybackRate(this.rateText);
      } catch {
        return 1;
      }
    }

    set playbackRate(rate: number) {
      if (typeof rate !== 'number') throw new AvatarInputError(`playbackRate: expected a number in 0…16, got ${describeValue(rate)}`);
      this.rateText = String(parsePlaybackRate(String(rate)));
    }

    /** Seconds into the motion (0 before the player exists). Setting it seeks. */
    get currentTime(): number {
      return this[$player]?.currentTime ?? this.pendingSeek ?? 0;
    }

    set currentTime(time: number) {
      if (typeof time !== 'number' || !Number.isFinite(time)) throw new AvatarInputError(`currentTime: expected a finite number of seconds, got ${describeValue(time)}`);
      const player = this[$player];
      if (player) player.seek(time).catch((e) => this[$reportError](e));
      else this.pendingSeek = time;
    }

    /** Length of the motion in seconds (0 before the player exists). */
    get duration(): number {
      return this[$player]?.duration ?? 0;
    }

    /** Whether playback is paused (true before the player exists). */
    get paused(): boolean {
      return this[$player]?.paused ?? true;
    }

    /** Plays (once the avatar is loaded, if it is not yet). */
    async play(): Promise<void> {
      const player = this[$player];
      if (player) await player.play();
      else this.wantPlay = true;
    }

    async pause(): Promise<void> {
      const player = this[$player];
      if (player) await player.pause();
      else this.wantPlay = false;
    }

    /**
     * Plays a motion: a Motion, a motion file's bytes (npz, bvh, json; ArrayBuffer, Uint8Array,
     * Blob) or its URL. Time restarts at 0. Rejects with a typed error; the current motion stays.
     */
    async loadMotion(source: MotionInput): Promise<void> {
      await this.applyMotion(source, 'loadMotion');
    }

    override [$start](): void {
      this.wantPlay ||= this.autoplay;
      if (this.motion) this[$creationGates].push(this.loadMotionAttribute());
      super[$start]();
    }

    override [$stop](): void {
      super[$stop]();
      this.motionLoads.abort();
    }

    override [$playerOptions](): PlayerOptions {
      const options = super[$playerOptions]();
      options.loop = this.loop;
      options.playbackRate = this.playbackRate;
      if (this.motionData) options.motion = this.motionData;
      this.sentMotion = this.motionData;
      return options;
    }

    override [$onPlayerCreated](player: Player): void {
      super[$onPlayerCreated](player);
      for (const type of FORWARDED_EVENTS) {
        player.addEventListener(type, (event) => {
          if (this[$player] !== player) return;
          const { state } = (event as CustomEvent<PlayerEventDetail>).detail;
          this.dispatchEvent(new CustomEvent<PlaybackEventDetail>(type, { detail: { currentTime: state.currentTime, duration: state.duration } }));
        });
      }
      player.addEventListener('error', (event) => {
        event.preventDefault(); // the element reports it
        if (this[$player] === player) this[$reportError]((event as CustomEvent<PlayerEventDetail>).detail.error);
      });
      // 'load' fires when $showAvatar resolves; start playing after it, in a later task.
      setTimeout(() => {
        if (this[$player] !== player) return;
        if (this.motionData !== this.sentMotion && this.motionData) player.loadMotion(this.motionData).catch((e) => this[$reportError](e));
        if (this.pendingSeek !== null) player.seek(this.pendingSeek).catch((e) => this[$reportError](e));
        this.pendingSeek = null;
        if (this.wantPlay) player.play().catch((e) => this[$reportError](e));
      });
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      const player = this[$player];
      if (changed.has('motion') && changed.get('motion') !== undefined && this.isConnected && this.hasUpdated) {
        this.loadMotionAttribute().catch(() => undefined);
      }
      if (!player) return;
      if (changed.has('loop')) player.setLoop(this.loop).catch((e) => this[$reportError](e));
      if (changed.has('rateText')) {
        try {
          const rate = this.rateText === null ? 1 : parsePlaybackRate(this.rateText);
          player.setPlaybackRate(rate).catch((e) => this[$reportError](e));
        } catch (e) {
          this[$reportError](e);
        }
      }
    }

    /** Loads the `motion` attribute's URL, or the idle when it has none; reports errors as events. */
    private async loadMotionAttribute(): Promise<void> {
      try {
        await this.applyMotion(this.motion ? this.motion : idleMotion(), 'motion');
      } catch (e) {
        if (!(e instanceof AbortError)) this[$reportError](e);
      }
    }

    /** Loads a motion; starting it aborts the motion load before (latest-load.ts), which then fires nothing. */
    private async applyMotion(source: MotionInput, field: string): Promise<void> {
      const ticket = this.motionLoads.start();
      try {
        const motion = await readMotion(source, field, ticket.signal, inputLimitsOf(this));
        ticket.throwIfSuperseded(field);
        const player = this[$player];
        if (player) await player.loadMotion(motion);
        ticket.throwIfSuperseded(field);
        this.motionData = motion;
      } catch (e) {
        if (ticket.isCurrent()) throw e;
        throw supersededError(field);
      }
    }
  }
  return PlaybackElement;
};

/**
 * The Motion behind `source`: fetched (aborted with `signal`) and parsed within `limits`; typed
 * errors name `field`. A file above `limits.maxMotionBytes` is refused before it is read.
 */
async function readMotion(source: MotionInput, field: string, signal: AbortSignal, limits: Required<InputLimits>): Promise<Motion> {
  let bytes: Uint8Array | ArrayBuffer;
  if (typeof source === 'string' || source instanceof URL) {
    bytes = await fetchBytes(String(source), field, { signal, limit: { limits, option: 'maxMotionBytes' } });
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    bytes = await blobBytes(source, field, limits, 'maxMotionBytes');
  } else if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    bytes = source;
  } else if (source !== null && typeof source === 'object' && 'poses' in source && 'fps' in source) {
    return source;
  } else {
    throw new AvatarInputError(`${field}: expected a Motion, a motion file's bytes (ArrayBuffer, Uint8Array, Blob) or a URL, got ${describeValue(source)}`);
  }
  // A load superseded while its bytes arrived is not parsed at all.
  if (signal.aborted) throw supersededError(field);
  // Large files parse in a worker, so the page (and the motion playing) keeps going meanwhile.
  if (bytes.byteLength > PARSE_IN_WORKER_BYTES) return parseMotionInWorker(bytes, { limits }, signal);
  return parseMotion(bytes, { limits });
}
