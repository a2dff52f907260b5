/**
 * `createPlayer(canvas, options)`: plays an avatar under a motion on a canvas, in real time.
 *
 * By default the player runs in the page's render worker on an OffscreenCanvas
 * (transferControlToOffscreen), so rendering never blocks the page. All players of a page share
 * that one worker, and in it one GPU device and one frame loop (render-host.ts). Where workers
 * cannot render with WebGPU (no OffscreenCanvas, no `navigator.gpu` in workers, no adapter there),
 * or the worker fails to start (its script failing to load is seen at once) or is silent for
 * `workerTimeoutMs` (default 5 s), the player runs on the main thread and fires 'renderfallback'
 * (`detail.reason`; also `player.renderFallback`). `{ worker: false }` forces the main thread,
 * `{ worker: true }` the worker (or a WebGPUUnavailableError).
 *
 * The returned `Player` is an EventTarget. Events are `CustomEvent<PlayerEventDetail>`:
 * play, pause, seeked, timeupdate (once per drawn frame while playing), ended, ratechange, avatarchange,
 * motionchange, orbitchange, resize, devicelost, recovered, error, renderfallback. `detail.error`
 * (typed, see errors.ts) comes with 'error' and 'devicelost'. Errors of a method call reject its promise;
 * errors from the frame loop fire 'error' (cancelable: logged to the console unless a listener
 * calls preventDefault()).
 */
import * as Comlink from 'comlink';
import { saveAvatar } from '../avatar/avatar-file.js';
import { AvatarInputError, WebGPUUnavailableError, describeValue } from '../errors.js';
import type { Motion } from '../motion/types.js';
import type { Orbit } from '../render/orbit-camera.js';
import { PlayerCore } from './player-core.js';
import { acquireRenderWorker, type RenderWorkerLease } from './render-host.js';
import { reviveError } from './revive-error.js';
import { watchVisibility } from './visibility-watch.js';
import type { InputLimits } from '../io/input-limits.js';
import type { CanvasPixels, OrbitInput, PlayerAvatarInput, PlayerCoreOptions, PlayerEventData, PlayerEventType, PlayerState } from './player-types.js';

export interface PlayerOptions {
  /** The avatar: an Avatar, or a `.gavatar` file's bytes. Default: the package's default avatar. */
  avatar?: PlayerAvatarInput;
  /** Size limits for `.gavatar` bytes (this option's avatar and loadAvatar's); default DEFAULT_INPUT_LIMITS. */
  limits?: InputLimits;
  /** The motion (parseMotion). Default: a standing, breathing idle. */
  motion?: Motion;
  /** Start playing once loaded (default true). */
  autoplay?: boolean;
  /** Loop the motion (default true). */
  loop?: boolean;
  /** Playback speed, 0…16 (default 1). */
  playbackRate?: number;
  /**
   * Camera orbit (its target fixed); default: the body framed from the front (re-framed on resize and on
   * new avatars/motions until set), the target following the motion (src/player/motion-framing.ts).
   */
  orbit?: Orbit;
  /** Vertical field of view, radians (default 35°). */
  fovY?: number;
  /**
   * Background colour, 3 numbers 0…1, display sRGB like CSS colours ([0.5, 0.5, 0.5] shows as
   * rgb(128, 128, 128)); default dark grey. Composited in linear RGB behind the avatar.
   */
  background?: ArrayLike<number>;
  /**
   * How frames are splatted: 'draw' (default) — the playback drawer, hardware-blended quads;
   * 'compute' — the training rasterizer (exact, slower; the image agrees to within 1/255 on average).
   */
  pipeline?: 'draw' | 'compute';
  /** Run in the page's render worker: undefined = where possible, true = required, false = main thread. */
  worker?: boolean;
  /**
   * Start timeout of the page's render worker, ms (default 5000): the player falls back to the main
   * thread when the worker shows no sign of life for that long (at its start, or later while it
   * loads its code and checks WebGPU; it says it is alive every second), or is alive but not ready
   * after 6× that. Only the player that starts the worker waits; later ones join it.
   */
  workerTimeoutMs?: number;
}

export interface PlayerEventDetail {
  state: PlayerState;
  error?: Error;
  /** With 'renderfallback': why the player renders on the main thread instead of the worker. */
  reason?: string;
}

/** Test hooks (not part of the stable API): they act where the core runs (in the worker, if any). */
export interface PlayerTestHooks {
  /** Draws the current frame and reads the canvas back in the same task. */
  readPixels(): Promise<CanvasPixels>;
  /** Destroys the player's GPU device as a device loss would; the player recovers ('devicelost', then 'recovered'). */
  loseDevice(): Promise<void>;
  /** Every URL the rendering thread has requested (its resource timeline), to check that playback fetches nothing. */
  resourceRequests(): Promise<string[]>;
  /** Frames the player has submitted so far (to check that a paused player draws nothing of its own). */
  framesDrawn(): Promise<number>;
  /** Which GPU device of its thread the player draws with (1, 2, … in creation order; players with equal ids share one). */
  deviceId(): Promise<number>;
  /** The player's next frame carries an invalid GPU command: a GPU error of its own, on a device other players may share. */
  injectGpuError(): Promise<void>;
}

/** Default of `workerTimeoutMs`: the bound for noticing a render worker that does not start. */
const DEFAULT_WORKER_TIMEOUT_MS = 5000;
/** How long destroy() waits for the worker's core to release the GPU before giving the worker up for hung. */
const WORKER_DESTROY_TIMEOUT_MS = 5000;

/** What the Player needs from the core, in either thread (the worker's version is comlink's Remote). */
type CoreHandle = {
  [K in 'play' | 'pause' | 'seek' | 'setPlaybackRate' | 'setLoop' | 'setOrbit' | 'setFieldOfView' | 'setBackground' | 'resize' | 'loadAvatar' | 'loadMotion' | 'state' | 'readPixels' | 'loseDevice' | 'resourceRequests' | 'framesDrawn' | 'setVisible' | 'deviceId' | 'injectGpuError' | 'destroy']:
    (...args: Parameters<PlayerCore[K]>) => ReturnType<PlayerCore[K]> | Promise<Awaited<ReturnType<PlayerCore[K]>>>;
};

/**
 * Creates a player on `canvas` (its width/height attributes are the image size; see `resize`).
 * Rejects with AvatarInputError / AvatarFormatError on bad options and WebGPUUnavailableError
 * without WebGPU.
 */
export async function createPlayer(canvas: HTMLCanvasElement, options: PlayerOptions = {}): Promise<Player> {
  if (typeof HTMLCanvasElement === 'undefined' || !(canvas instanceof HTMLCanvasElement)) {
    throw new AvatarInputError(`canvas: expected an HTMLCanvasElement, got ${describeValue(canvas)}`);
  }
  if (options === null || typeof options !== 'object') throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  const { worker: wantWorker, workerTimeoutMs = DEFAULT_WORKER_TIMEOUT_MS, ...coreOptions } = options;
  if (wantWorker !== undefined && typeof wantWorker !== 'boolean') {
    throw new AvatarInputError(`options.worker: expected true, false or undefined, got ${describeValue(wantWorker)}`);
  }
  if (typeof workerTimeoutMs !== 'number' || !(workerTimeoutMs > 0)) {
    throw new AvatarInputError(`options.workerTimeoutMs: expected milliseconds > 0, got ${describeValue(workerTimeoutMs)}`);
  }
  const player = new Player();
  if (wantWorker !== false) {
    const lease = typeof canvas.transferControlToOffscreen === 'function'
      ? await acquireRenderWorker(workerTimeoutMs)
      : 'canvas.transferControlToOffscreen is not available';
    if (typeof lease !== 'string') {
      await player.attachWorker(lease, canvas, coreOptions);
      return player;
    }
    if (wantWorker === true) throw new WebGPUUnavailableError(`options.worker: a worker player is not possible here: ${lease}`);
    await player.attachMain(canvas, coreOptions, lease);
    return player;
  }
  await player.attachMain(canvas, coreOptions);
  return player;
}

export class Player extends EventTarget {
  private core!: CoreHandle;
  private mirror!: PlayerState;
  /** The page's render worker, when the player runs in it. */
  private workerLease?: RenderWorkerLease;
  /** The worker's core, when the player runs in a worker. */
  private coreProxy?: Comlink.Remote<PlayerCore>;
  private destroyed = false;
  private renderThread: 'worker' | 'main' = 'main';
  /** Stops reporting the canvas's visibility to the core (visibility-watch.ts). */
  private stopWatchingVisibility?: () => void;
  private fallbackReason: string | null = null;

  /** Test hooks; see PlayerTestHooks. */
  readonly testHooks: PlayerTestHooks = {
    readPixels: () => this.call('readPixels'),
    loseDevice: () => this.call('loseDevice'),
    resourceRequests: () => this.call('resourceRequests'),
    framesDrawn: () => this.call('framesDrawn'),
    deviceId: () => this.call('deviceId'),
    injectGpuError: () => this.call('injectGpuError'),
  };

  /** @internal use createPlayer */
  constructor() {
    super();
  }

  /** @internal `fallback`: why the worker that was wanted is not used ('renderfallback' fires once the caller has the player). */
  async attachMain(canvas: HTMLCanvasElement, options: PlayerCoreOptions, fallback?: string): Promise<void> {
    const core = await PlayerCore.create(canvas, options, (event) => this.onCoreEvent(event));
    this.core = core;
    this.renderThread = 'main';
    this.update(core.state());
    this.watchCanvas(canvas);
    if (fallback === undefined) return;
    this.fallbackReason = fallback;
    // A task later, as media elements queue their events: createPlayer's caller has the player and its listeners by then.
    setTimeout(() => {
      if (this.destroyed) return;
      this.dispatchEvent(new CustomEvent<PlayerEventDetail>('renderfallback', { detail: { state: this.mirror, reason: fallback } }));
    });
  }

  /** @internal */
  async attachWorker(lease: RenderWorkerLease, canvas: HTMLCanvasElement, options: PlayerCoreOptions): Promise<void> {
    this.workerLease = lease;
    this.renderThread = 'worker';
    const { avatar, ...rest } = options;
    const transfer: Transferable[] = [];
    let avatarBytes: ArrayBuffer | Uint8Array | undefined;
    if (avatar instanceof ArrayBuffer || avatar instanceof Uint8Array || avatar === undefined) {
      avatarBytes = avatar; // the page's own buffer: copied, not transferred
    } else if (avatar !== null && typeof avatar === 'object' && 'gaussians' in avatar) {
      let bytes: Uint8Array;
      try {
        bytes = saveAvatar(avatar); // an Avatar holds WASM memory: it crosses as its .gavatar bytes
      } catch (e) {
        lease.release();
        throw e;
      }
      avatarBytes = bytes;
      transfer.push(bytes.buffer as ArrayBuffer);
    } else {
      lease.release();
      throw new AvatarInputError(`options.avatar: expected an Avatar or the bytes of a .gavatar file (ArrayBuffer / Uint8Array), got ${describeValue(avatar)}`);
    }
    const offscreen = canvas.transferControlToOffscreen();
    let core: Comlink.Remote<PlayerCore>;
    try {
      core = (await lease.api.create(
        Comlink.transfer(offscreen, [offscreen]),
        Comlink.transfer({ ...rest, avatar: avatarBytes }, transfer),
        Comlink.proxy((event: PlayerEventData) => this.onCoreEvent(event)),
      )) as unknown as Comlink.Remote<PlayerCore>;
    } catch (e) {
      lease.release();
      throw reviveError(e);
    }
    this.core = core as unknown as CoreHandle;
    this.coreProxy = core;
    this.update(await this.call('state'));
    this.watchCanvas(canvas);
  }

  /** Off screen or in a hidden page the core draws nothing and its clock holds (player-core.ts setVisible). */
  private watchCanvas(canvas: HTMLCanvasElement): void {
    this.stopWatchingVisibility = watchVisibility(canvas, (visible) => {
      // A report crossing destroy() finds the core gone: that is no error of the page's.
      if (!this.destroyed) this.command('setVisible', visible).catch((e) => this.destroyed || this.reportError(e));
    });
  }

  /** Which thread renders: 'worker' (OffscreenCanvas in the page's render worker) or 'main'. */
  get thread(): 'worker' | 'main' {
    return this.renderThread;
  }

  /** Why the player renders on the main thread although a worker was allowed (see 'renderfallback'); null otherwise. */
  get renderFallback(): string | null {
    return this.fallbackReason;
  }

  // ---- state (mirrored from the core; exact on the main thread, one message behind in a worker) ----

  get currentTime(): number {
    return this.mirror.currentTime;
  }

  get duration(): number {
    return this.mirror.duration;
  }

  get paused(): boolean {
    return this.mirror.paused;
  }

  get playbackRate(): number {
    return this.mirror.playbackRate;
  }

  /** Sets the speed (0…16); errors are reported as an 'error' event. Use setPlaybackRate to await. */
  set playbackRate(rate: number) {
    this.setPlaybackRate(rate).catch((e) => this.reportError(e));
  }

  get loop(): boolean {
    return this.mirror.loop;
  }

  set loop(loop: boolean) {
    this.setLoop(loop).catch((e) => this.reportError(e));
  }

  /** The orbit in use. */
  get orbit(): PlayerState['orbit'] {
    return this.mirror.orbit;
  }

  /** The latest state snapshot. */
  get state(): PlayerState {
    return this.mirror;
  }

  // ---- control -----------------------------------------------------------------------------

  play(): Promise<void> {
    return this.command('play');
  }

  pause(): Promise<void> {
    return this.command('pause');
  }

  /** Jumps to `time` seconds (clamped to 0…duration, or wrapped when looping). */
  seek(time: number): Promise<void> {
    return this.command('seek', time);
  }

  setPlaybackRate(rate: number): Promise<void> {
    return this.command('setPlaybackRate', rate);
  }

  setLoop(loop: boolean): Promise<void> {
    return this.command('setLoop', loop);
  }

  /**
   * Moves the camera; fields left out keep their values. θ, φ or the distance given stop their
   * automatic framing; the target follows the motion unless given (`target: 'auto'` follows again).
   */
  setOrbit(orbit: OrbitInput): Promise<void> {
    return this.command('setOrbit', orbit);
  }

  setFieldOfView(fovY: number): Promise<void> {
    return this.command('setFieldOfView', fovY);
  }

  /** Sets the background: 3 numbers 0…1, display sRGB (as `options.background`). */
  setBackground(rgb: ArrayLike<number>): Promise<void> {
    return this.command('setBackground', Array.from(rgb ?? []));
  }

  /** Resizes to width×height CSS pixels at devicePixelRatio (default 1): the canvas gets round(w·dpr)×round(h·dpr) pixels. */
  resize(width: number, height: number, devicePixelRatio = 1): Promise<void> {
    return this.command('resize', width, height, devicePixelRatio);
  }

  /**
   * Replaces the avatar (an Avatar or .gavatar bytes); the old one plays until the new one is ready.
   * `options.limits`: size limits for the bytes (default: the player's `limits` option).
   */
  async loadAvatar(avatar: PlayerAvatarInput, options: { limits?: InputLimits } = {}): Promise<void> {
    const limits = options?.limits;
    if (this.thread === 'worker' && avatar !== null && typeof avatar === 'object' && 'gaussians' in avatar) {
      const bytes = saveAvatar(avatar);
      this.checkAlive();
      try {
        this.update(await this.coreProxy!.loadAvatar(Comlink.transfer(bytes, [bytes.buffer]), 'avatar', true, limits));
      } catch (e) {
        throw reviveError(e);
      }
      return;
    }
    return this.command('loadAvatar', avatar, 'avatar', true, limits);
  }

  loadMotion(motion: Motion): Promise<void> {
    return this.command('loadMotion', motion);
  }

  /**
   * Stops playback and releases the avatar (if the player loaded it) and the player's share of the
   * GPU device and of the render worker (the last player of the page closes them).
   */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopWatchingVisibility?.();
    const lease = this.workerLease;
    let answered = true;
    try {
      const released = this.core?.destroy();
      if (lease) {
        // A worker that died or hangs must not hold the page's destroy() forever: it is given up for every player.
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), WORKER_DESTROY_TIMEOUT_MS));
        answered = (await Promise.race([released, timeout])) !== 'timeout';
      } else {
        await released;
      }
    } finally {
      this.coreProxy?.[Comlink.releaseProxy]();
      if (answered) lease?.release();
      else lease?.abandon();
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private async command<K extends keyof CoreHandle>(method: K, ...args: Parameters<CoreHandle[K]>): Promise<void> {
    const state = await this.call(method, ...args);
    if (state && typeof state === 'object' && 'seq' in state) this.update(state as PlayerState);
  }

  private async call<K extends keyof CoreHandle>(method: K, ...args: Parameters<CoreHandle[K]>): Promise<Awaited<ReturnType<PlayerCore[K]>>> {
    this.checkAlive();
    try {
      // Called as a method (not via .apply): a comlink proxy would forward `.apply` to the worker.
      const core = this.core as unknown as Record<K, (...a: unknown[]) => unknown>;
      return (await core[method](...args)) as Awaited<ReturnType<PlayerCore[K]>>;
    } catch (e) {
      throw reviveError(e);
    }
  }

  private update(state: PlayerState): void {
    if (!this.mirror || state.seq > this.mirror.seq) this.mirror = state;
  }

  private onCoreEvent(event: PlayerEventData): void {
    if (this.destroyed) return;
    this.update(event.state);
    this.fire(event.type, event.state, event.error ? reviveError(event.error) : undefined);
  }

  private reportError(e: unknown): void {
    this.fire('error', this.mirror, reviveError(e));
  }

  /** 'error' events are cancelable: one nobody cancels is also logged, so no error goes unseen. */
  private fire(type: PlayerEventType, state: PlayerState, error?: Error): void {
    const event = new CustomEvent<PlayerEventDetail>(type, { detail: { state, error }, cancelable: type === 'error' });
    if (this.dispatchEvent(event) && type === 'error') console.error('gaussian-avatar player:', error);
  }

  private checkAlive(): void {
    if (this.destroyed) throw new AvatarInputError('player: expected a live player, got one that was destroyed');
  }
}
