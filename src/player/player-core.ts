/**
 * The player itself, independent of the thread it runs in: leases the thread's shared GPU device
 * (src/gpu/shared-device.ts), owns the canvas context, the avatar renderer, the motion and the
 * clock, and draws frames in the thread's one animation-frame loop (frame-loop.ts). In a worker
 * it gets an OffscreenCanvas (transferControlToOffscreen) and reports events through a comlink
 * proxy; on the main thread it gets the HTMLCanvasElement.
 *
 * Clock: `currentTime` runs from 0 to `duration` = frameCount / fps (frame f is shown from f/fps
 * for 1/fps). Looping wraps modulo the duration and blends the last frame into the first
 * (sampleMotion's loop); otherwise playback stops at the end with 'pause' then 'ended'.
 *
 * Frames: one per animation frame while playing, skipped while the GPU has not finished the last
 * one (the clock runs on); 'timeupdate' fires once per drawn frame while playing. The first frame
 * on a device compiles its pipelines (seconds on a CPU adapter): it is drawn and waited for before
 * create() resolves and before 'recovered', so playback starts (and resumes) at full speed.
 *
 * Held: while the device is being replaced, or the canvas cannot be seen (setVisible(false): off
 * screen, or the page hidden; the Player watches that), nothing is drawn and the clock holds —
 * `currentTime` stays where it was, `paused` does not change and no event fires; afterwards
 * playback goes on from that time.
 *
 * Device loss: when the device is lost and not by our own destroy(), the core fires 'devicelost',
 * requests a new device, reconfigures the canvas, uploads the same avatar again, draws its first
 * frame at the held time and fires 'recovered'.
 */
import { createDefaultAvatar } from '../avatar/default-avatar.js';
import { loadAvatar } from '../avatar/avatar-file.js';
import { DEFAULT_INPUT_LIMITS, resolveInputLimits, type InputLimits } from '../io/input-limits.js';
import type { Avatar } from '../avatar/types.js';
import { srgbToLinear } from '../color/srgb.js';
import { AvatarInputError, GpuDeviceError, WebGPUUnavailableError, describeValue } from '../errors.js';
import { captureGpuErrors } from '../gpu/error-scope.js';
import { acquireSharedDevice, type DeviceLease } from '../gpu/shared-device.js';
import { sampleMotion } from '../motion/sample-motion.js';
import type { Motion } from '../motion/types.js';
import { checkMotion } from '../motion/validate-motion.js';
import { createAvatarRenderer, type AvatarRenderPipeline, type AvatarRenderer } from '../render/avatar-renderer.js';
import { DEFAULT_FOV_Y, checkOrbit, frameBox, orbitCamera, type Orbit } from '../render/orbit-camera.js';
import { requestSharedFrame } from './frame-loop.js';
import { frameMotion, type MotionFraming } from './motion-framing.js';
import { idleMotion } from './idle-motion.js';
import { serializeError } from './revive-error.js';
import type { CanvasPixels, OrbitInput, PlayerAvatarInput, PlayerCoreOptions, PlayerEventData, PlayerEventType, PlayerState } from './player-types.js';

type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

/** Default background: a dark neutral grey (display sRGB 0…1, as every player background). */
export const DEFAULT_BACKGROUND: readonly number[] = [0.08, 0.08, 0.09];
/** Largest playback rate accepted. */
export const MAX_PLAYBACK_RATE = 16;
/** Attempts at a new device after a loss, with a growing pause between them. */
const RECOVERY_ATTEMPTS = 3;

export class PlayerCore {
  /** This thread's shared device (src/gpu/shared-device.ts): every player in the thread draws with one. */
  private lease?: DeviceLease;
  private device!: GPUDevice;
  private context!: GPUCanvasContext;
  private format!: GPUTextureFormat;
  private renderer?: AvatarRenderer;
  private avatar?: Avatar;
  /** Whether `avatar.body` was made here (from bytes or the default) and is ours to dispose. */
  private ownsAvatar = false;
  private motion: Motion = idleMotion();
  private time = 0;
  private paused = true;
  private rate = 1;
  private loop = true;
  private orbit!: Orbit & { target: [number, number, number] };
  private userOrbit = false;
  /** The target follows the motion (motion-framing.ts) until a fixed one is set. */
  private followTarget = true;
  private framing?: { avatar: Avatar; motion: Motion; framing: MotionFraming };
  private fovY = DEFAULT_FOV_Y;
  /** Size limits for `.gavatar` bytes (options.limits; loadAvatar may pass others). */
  private limits: Required<InputLimits> = { ...DEFAULT_INPUT_LIMITS };
  /** The avatar renderer's pipeline: the drawer unless the page asked for the compute rasterizer. */
  private pipeline: AvatarRenderPipeline = 'draw';
  /** Linear RGB of the background (given as display sRGB; the renderer composites in linear). */
  private background: number[] = DEFAULT_BACKGROUND.map(srgbToLinear);
  private lastTick?: number;
  private frameRequest?: () => void;
  private seq = 0;
  private destroyed = false;
  private recovering = false;
  /** The canvas can be seen (setVisible): while it cannot, nothing is drawn and the clock holds. */
  private visible = true;
  private lastGpuError = '';
  /** A submitted frame the GPU has not finished: the next tick skips drawing rather than queue frames up. */
  private frameInFlight = false;
  /** Something changed (seek, orbit, size, avatar…) since the last frame: draw one even while paused. */
  private redrawPending = false;
  /** Test hook injectGpuError: the next frame carries an invalid command. */
  private invalidNextFrame = false;
  /** Frames submitted so far (test hook framesDrawn). */
  private framesSubmitted = 0;

  private constructor(private readonly canvas: AnyCanvas, private readonly emitter: (event: PlayerEventData) => void) {}

  /**
   * Creates a player on `canvas` (its current width × height is the image size). Rejects with
   * AvatarInputError / AvatarFormatError on bad options, WebGPUUnavailableError without WebGPU.
   */
  static async create(canvas: AnyCanvas, options: PlayerCoreOptions, emit: (event: PlayerEventData) => void): Promise<PlayerCore> {
    if (options === null || typeof options !== 'object') throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
    const core = new PlayerCore(canvas, emit);
    core.applyOptions(options);
    try {
      core.lease = await acquireSharedDevice();
      core.device = core.lease.device;
      core.watchDevice(core.device);
      const context = canvas.getContext('webgpu') as GPUCanvasContext | null;
      if (!context) throw new WebGPUUnavailableError("canvas: getContext('webgpu') returned null (the canvas has another context, or WebGPU canvases are unavailable here)");
      core.context = context;
      core.format = navigator.gpu.getPreferredCanvasFormat();
      core.configureContext();
      await core.loadAvatar(options.avatar, 'options.avatar', false);
      await core.drawFirstFrame();
    } catch (e) {
      core.destroy();
      throw e;
    }
    if (options.autoplay !== false) core.play();
    return core;
  }

  /** Validates and applies everything but the avatar (sync: typed errors before any GPU work). */
  private applyOptions(options: PlayerCoreOptions): void {
    if (options.motion !== undefined) {
      checkMotion(options.motion, 'options.motion');
      this.motion = options.motion;
    }
    if (options.limits !== undefined) this.limits = resolveInputLimits(options.limits, 'options.limits');
    if (options.loop !== undefined) this.loop = checkBoolean('options.loop', options.loop);
    if (options.autoplay !== undefined) checkBoolean('options.autoplay', options.autoplay);
    if (options.playbackRate !== undefined) this.rate = checkRate('options.playbackRate', options.playbackRate);
    if (options.fovY !== undefined) {
      if (typeof options.fovY !== 'number' || !(options.fovY > 0 && options.fovY < Math.PI)) {
        throw new AvatarInputError(`options.fovY: expected radians in (0, π), got ${describeValue(options.fovY)}`);
      }
      this.fovY = options.fovY;
    }
    if (options.background !== undefined) this.background = checkBackground('options.background', options.background);
    if (options.pipeline !== undefined) {
      if (options.pipeline !== 'draw' && options.pipeline !== 'compute') {
        throw new AvatarInputError(`options.pipeline: expected 'draw' or 'compute', got ${describeValue(options.pipeline)}`);
      }
      this.pipeline = options.pipeline;
    }
    if (options.orbit !== undefined) {
      this.orbit = checkOrbit(options.orbit);
      this.userOrbit = true;
      this.followTarget = false;
    }
    const { width, height } = this.canvas;
    if (!(width >= 1 && height >= 1)) throw new AvatarInputError(`canvas: expected a width and height ≥ 1 pixel, got ${width}×${height}`);
  }

  // ---- playback ----------------------------------------------------------------------------

  get duration(): number {
    return this.motion.frameCount / this.motion.fps;
  }

  play(): PlayerState {
    this.checkAlive();
    if (!this.paused) return this.state();
    if (!this.loop && this.time >= this.duration) this.time = 0;
    this.paused = false;
    this.lastTick = performance.now();
    this.emit('play');
    this.requestFrame();
    return this.state();
  }

  pause(): PlayerState {
    this.checkAlive();
    if (this.paused) return this.state();
    this.advanceClock(); // up to this moment, however rarely frames came
    if (this.paused) return this.state(); // it reached the end meanwhile (pause + ended fired)
    this.paused = true;
    this.emit('pause');
    return this.state();
  }

  /** Jumps to `time` seconds (wrapped when looping, else clamped to 0…duration). */
  seek(time: number): PlayerState {
    this.checkAlive();
    if (typeof time !== 'number' || !Number.isFinite(time)) throw new AvatarInputError(`time: expected a finite number of seconds, got ${describeValue(time)}`);
    this.time = this.wrapTime(time);
    this.lastTick = performance.now();
    this.emit('seeked');
    this.requestFrame();
    return this.state();
  }

  setPlaybackRate(rate: number): PlayerState {
    this.checkAlive();
    const checked = checkRate('playbackRate', rate);
    if (!this.paused) this.advanceClock(); // the time so far ran at the old rate
    this.rate = checked;
    this.emit('ratechange');
    return this.state();
  }

  setLoop(loop: boolean): PlayerState {
    this.checkAlive();
    this.loop = checkBoolean('loop', loop);
    return this.state();
  }

  /**
   * Whether the canvas can be seen (on screen and the page shown; the Player reports it, see
   * visibility-watch.ts). Unseen, nothing is drawn and the clock holds; seen again, the current
   * frame is drawn and playback goes on from the same time. `paused` is unaffected.
   */
  setVisible(visible: boolean): PlayerState {
    this.checkAlive();
    checkBoolean('visible', visible);
    if (visible === this.visible) return this.state();
    if (visible) {
      this.visible = true;
      this.lastTick = performance.now();
      this.requestFrame();
    } else {
      if (!this.paused) this.advanceClock(); // the time up to this moment still counts
      this.visible = false;
      this.cancelTick();
    }
    return this.state();
  }

  /**
   * Sets the orbit; fields left out keep their current values. θ, φ or the distance given turn the
   * automatic framing of those off; a target fixes the target, `target: 'auto'` follows the motion again.
   */
  setOrbit(orbit: OrbitInput): PlayerState {
    this.checkAlive();
    if (orbit === null || typeof orbit !== 'object') throw new AvatarInputError(`orbit: expected { theta?, phi?, radius?, target? }, got ${describeValue(orbit)}`);
    const { target, ...rest } = orbit;
    const follow = target === undefined ? this.followTarget : target === 'auto';
    const fixed = target === undefined || target === 'auto' ? this.orbit.target : target;
    this.orbit = checkOrbit({ ...this.orbit, ...rest, target: fixed });
    this.followTarget = follow;
    if (rest.theta !== undefined || rest.phi !== undefined || rest.radius !== undefined) this.userOrbit = true;
    this.frameBody();
    this.emit('orbitchange');
    this.requestFrame();
    return this.state();
  }

  /** Sets the vertical field of view (radians, 0…π exclusive). */
  setFieldOfView(fovY: number): PlayerState {
    this.checkAlive();
    if (typeof fovY !== 'number' || !(fovY > 0 && fovY < Math.PI)) throw new AvatarInputError(`fovY: expected radians in (0, π), got ${describeValue(fovY)}`);
    this.fovY = fovY;
    this.frameBody();
    this.requestFrame();
    return this.state();
  }

  setBackground(rgb: ArrayLike<number>): PlayerState {
    this.checkAlive();
    this.background = checkBackground('background', rgb);
    this.requestFrame();
    return this.state();
  }

  /**
   * Resizes the canvas to `width`×`height` CSS pixels at `devicePixelRatio` (default 1): the
   * backing store becomes round(width·dpr) × round(height·dpr) pixels.
   */
  resize(width: number, height: number, devicePixelRatio = 1): PlayerState {
    this.checkAlive();
    for (const [field, v] of [['width', width], ['height', height], ['devicePixelRatio', devicePixelRatio]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new AvatarInputError(`${field}: expected a finite number > 0, got ${describeValue(v)}`);
    }
    const w = Math.max(1, Math.round(width * devicePixelRatio));
    const h = Math.max(1, Math.round(height * devicePixelRatio));
    const max = this.device.limits.maxTextureDimension2D;
    if (w > max || h > max) throw new AvatarInputError(`width/height: expected at most ${max} device pixels per side, got ${w}×${h}`);
    this.ownGpuWork(() => this.renderer?.resize(w, h));
    this.canvas.width = w;
    this.canvas.height = h;
    this.frameBody();
    this.emit('resize');
    this.requestFrame();
    return this.state();
  }

  /** Replaces the avatar (an Avatar, or .gavatar bytes; undefined = the default avatar). The old one stays until the new one is ready. */
  async loadAvatar(input: PlayerAvatarInput | undefined, field = 'avatar', announce = true, limits?: InputLimits): Promise<PlayerState> {
    this.checkAlive();
    const sizeLimits = limits === undefined ? this.limits : resolveInputLimits(limits, 'limits');
    let avatar: Avatar;
    let owns: boolean;
    if (input === undefined) {
      avatar = await createDefaultAvatar();
      owns = true;
    } else if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
      avatar = await loadAvatar(input, { limits: sizeLimits });
      owns = true;
    } else if (input !== null && typeof input === 'object' && 'gaussians' in input && 'body' in input) {
      avatar = input;
      owns = false;
    } else {
      throw new AvatarInputError(`${field}: expected an Avatar or the bytes of a .gavatar file (ArrayBuffer / Uint8Array), got ${describeValue(input)}`);
    }
    let renderer: AvatarRenderer;
    try {
      renderer = await this.uploadAvatar(avatar, field);
    } catch (e) {
      if (owns) avatar.body.dispose();
      throw e;
    }
    this.dropAvatar();
    this.renderer = renderer;
    this.avatar = avatar;
    this.ownsAvatar = owns;
    this.frameBody();
    if (announce) this.emit('avatarchange');
    this.requestFrame();
    return this.state();
  }

  /** Replaces the motion (validated, NaN-scanned); time restarts at 0. */
  loadMotion(motion: Motion): PlayerState {
    this.checkAlive();
    checkMotion(motion, 'motion');
    this.motion = motion;
    this.time = 0;
    this.lastTick = performance.now();
    this.frameBody();
    this.emit('motionchange');
    this.requestFrame();
    return this.state();
  }

  state(): PlayerState {
    const o = this.orbit ?? { theta: 0, phi: 0, radius: 1, target: [0, 0, 0] };
    return {
      seq: ++this.seq,
      currentTime: this.time,
      duration: this.duration,
      paused: this.paused,
      playbackRate: this.rate,
      loop: this.loop,
      width: this.canvas.width,
      height: this.canvas.height,
      orbit: { theta: o.theta, phi: o.phi, radius: o.radius, target: [o.target[0], o.target[1], o.target[2]] },
      fovY: this.fovY,
      gaussianCount: this.renderer?.count ?? 0,
    };
  }

  // ---- frames ------------------------------------------------------------------------------

  /** Asks for a frame: the next tick draws one (playing or paused). */
  private requestFrame(): void {
    this.redrawPending = true;
    this.scheduleTick();
  }

  /** Drawing and the clock are held: the device is being replaced, or the canvas cannot be seen. */
  private held(): boolean {
    return this.recovering || !this.visible;
  }

  /** No tick while held: whatever ends the hold asks for a frame again. */
  private scheduleTick(): void {
    if (this.frameRequest || this.destroyed || this.held()) return;
    this.frameRequest = requestSharedFrame(this.tick);
  }

  private cancelTick(): void {
    this.frameRequest?.();
    this.frameRequest = undefined;
  }

  private readonly tick = (): void => {
    this.frameRequest = undefined;
    if (this.destroyed || this.held()) return;
    if (!this.paused) this.advanceClock();
    // While the GPU is behind (slow adapter, huge canvas) the clock runs on and frames are skipped.
    // Paused, only a requested frame is drawn: a paused player does no GPU work of its own (it
    // used to redraw whenever the last frame finished, which starved MediaPipe's WebGL in fit mode).
    let drew = false;
    if (!this.frameInFlight && (!this.paused || this.redrawPending)) {
      this.redrawPending = false;
      try {
        drew = this.renderFrame();
      } catch (e) {
        this.fail(e);
        return;
      }
    }
    // Like a video's timeupdate, it reports a position shown: one per drawn frame, none for a skipped one.
    if (drew && !this.paused) this.emit('timeupdate');
    if (!this.paused || this.redrawPending) this.scheduleTick();
  };

  /**
   * Moves the time on by the wall-clock time since the last tick (performance.now, not rAF's frame
   * time) × rate; while held, time does not pass.
   */
  private advanceClock(): void {
    const now = performance.now();
    const dt = this.lastTick === undefined || this.held() ? 0 : Math.max(0, now - this.lastTick) / 1000;
    this.lastTick = now;
    if (dt > 0) this.advance(dt * this.rate);
  }

  private advance(seconds: number): void {
    const end = this.duration;
    if (this.loop) {
      this.time = this.wrapTime(this.time + seconds);
    } else if (this.time + seconds >= end) {
      this.time = end;
      this.paused = true;
      this.redrawPending = true; // the last frame is shown
      this.emit('pause');
      this.emit('ended');
    } else {
      this.time += seconds;
    }
  }

  private wrapTime(t: number): number {
    const d = this.duration;
    if (this.loop) return ((t % d) + d) % d;
    return Math.min(Math.max(t, 0), d);
  }

  /** Encodes and submits the frame at the current time; false when there is nothing to draw with yet. */
  private renderFrame(): boolean {
    const renderer = this.renderer;
    if (!renderer) return false;
    const { pose, trans } = sampleMotion(this.motion, this.time, { loop: this.loop });
    if (this.followTarget && this.framing) this.orbit.target = this.framing.framing.target(this.time, this.loop);
    const camera = orbitCamera(this.orbit, this.canvas.width, this.canvas.height, this.fovY);
    const device = this.device;
    this.ownGpuWork(() => {
      const encoder = device.createCommandEncoder({ label: 'player frame' });
      renderer.encodeFrame(encoder, this.context.getCurrentTexture().createView(), this.format, { pose, trans, camera, background: this.background });
      if (this.invalidNextFrame) this.encodeInvalidCommand(device, encoder);
      device.queue.submit([encoder.finish()]);
    });
    this.framesSubmitted++;
    this.frameInFlight = true;
    const done = () => {
      if (device === this.device) this.frameInFlight = false;
    };
    device.queue.onSubmittedWorkDone().then(done, done);
    renderer.checkCapacity().then((grew) => grew && this.requestFrame(), (e) => this.reportGpuError(device, e instanceof Error ? e.message : String(e)));
    return true;
  }

  /**
   * Draws the frame at the current time and waits for the GPU to finish it. The first frame on a
   * device compiles its pipelines (~5 s for the default avatar on SwiftShader): waited for here, that
   * time is not played through, and the frames after it come at the usual rate.
   */
  private async drawFirstFrame(): Promise<void> {
    const device = this.device;
    this.redrawPending = false;
    if (!this.renderFrame()) return;
    await device.queue.onSubmittedWorkDone().catch(() => undefined);
  }

  /**
   * Automatic framing (motion-framing.ts): the distance fits the body's extent over the motion,
   * from the front, unless an orbit was set; the target follows the motion unless one was set.
   */
  private frameBody(): void {
    const avatar = this.avatar;
    const aspect = this.canvas.width / this.canvas.height;
    if (!avatar) {
      if (!this.userOrbit) this.orbit = checkOrbit(frameBox([-1, -1.2, -0.3], [1, 0.8, 0.3], aspect, this.fovY));
      return;
    }
    if (this.framing?.avatar !== avatar || this.framing.motion !== this.motion) {
      this.framing = { avatar, motion: this.motion, framing: frameMotion(avatar.body, avatar.betas, this.motion) };
    }
    const { framing } = this.framing;
    const target = this.followTarget ? framing.target(this.time, this.loop) : this.orbit.target;
    const orbit = this.userOrbit ? this.orbit : { theta: 0, phi: 0, radius: framing.radius(aspect, this.fovY) };
    this.orbit = checkOrbit({ theta: orbit.theta, phi: orbit.phi, radius: orbit.radius, target });
  }

  // ---- device loss -------------------------------------------------------------------------

  private configureContext(): void {
    this.context.configure({ device: this.device, format: this.format, alphaMode: 'opaque' });
  }

  private watchDevice(device: GPUDevice): void {
    device.lost.then((info) => {
      if (this.destroyed || device !== this.device) return;
      void this.recover(info);
    });
  }

  /**
   * Runs this player's GPU calls inside error scopes, so that their errors are reported by this
   * player alone: the device's uncaptured errors reach every player sharing it (and the page, when
   * it passed its own device), whoever caused them.
   */
  private ownGpuWork<T>(work: () => T): T {
    const device = this.device;
    const { result, error } = captureGpuErrors(device, work);
    void error.then((e) => e && this.reportGpuError(device, e.message));
    return result;
  }

  private reportGpuError(device: GPUDevice, message: string): void {
    if (this.destroyed || device !== this.device || message === this.lastGpuError) return;
    this.lastGpuError = message; // each distinct error once, not once per frame
    this.emit('error', new GpuDeviceError(`GPU error during playback: ${message}`));
  }

  /**
   * A renderer for `avatar` on the current device, at the canvas's size. A GPU error while
   * uploading rejects with GpuDeviceError (the avatar playing so far stays).
   */
  private async uploadAvatar(avatar: Avatar, field: string): Promise<AvatarRenderer> {
    this.checkAlive();
    const device = this.device;
    const upload = captureGpuErrors(device, () => createAvatarRenderer(device, avatar, { width: this.canvas.width, height: this.canvas.height, pipeline: this.pipeline }));
    const renderer = upload.result;
    const error = await upload.error;
    if (error || this.destroyed || device !== this.device) renderer.destroy();
    this.checkAlive();
    if (error) throw new GpuDeviceError(`${field}: uploading the avatar to the GPU failed: ${error.message}`);
    if (device !== this.device) return this.uploadAvatar(avatar, field); // lost and replaced meanwhile: upload to the new device
    renderer.resize(this.canvas.width, this.canvas.height); // resized while the upload was checked
    return renderer;
  }

  private async recover(info: GPUDeviceLostInfo): Promise<void> {
    this.recovering = true;
    this.emit('devicelost', new GpuDeviceError(`GPU device lost (${info.reason}): ${info.message || 'no message'}`));
    try {
      this.renderer?.destroy();
    } catch {
      // its buffers went with the device
    }
    this.renderer = undefined;
    this.lease?.release();
    this.lease = undefined;
    let lease: DeviceLease | undefined;
    let lastError: unknown;
    for (let attempt = 1; attempt <= RECOVERY_ATTEMPTS && !this.destroyed; attempt++) {
      try {
        lease = await acquireSharedDevice(); // the other players of this thread share the new device
        break;
      } catch (e) {
        lastError = e;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    if (this.destroyed) {
      lease?.release();
      return;
    }
    if (!lease) {
      this.recovering = false;
      this.paused = true;
      this.emit('error', new GpuDeviceError(`GPU device lost and no new device could be obtained: ${lastError instanceof Error ? lastError.message : String(lastError)}`));
      return;
    }
    const device = lease.device;
    try {
      this.lease = lease;
      this.device = device;
      this.frameInFlight = false;
      this.watchDevice(device);
      this.configureContext();
      if (this.avatar) this.renderer = this.ownGpuWork(() => createAvatarRenderer(device, this.avatar!, { width: this.canvas.width, height: this.canvas.height, pipeline: this.pipeline }));
      await this.drawFirstFrame(); // the clock still held: the new device's pipelines compile here
    } catch (e) {
      if (this.destroyed || device !== this.device) return;
      this.recovering = false;
      this.fail(e);
      return;
    }
    if (this.destroyed || device !== this.device) return; // lost again meanwhile: that recovery goes on
    this.recovering = false;
    this.lastTick = performance.now(); // the time goes on from where it was lost
    this.emit('recovered');
    this.scheduleTick();
  }

  // ---- test hooks --------------------------------------------------------------------------

  /**
   * Test hook: draws the current frame and reads the canvas back in the same task (a WebGPU
   * canvas reads empty after the task that submitted its frame), RGBA 8-bit, top row first.
   */
  readPixels(): CanvasPixels {
    this.checkAlive();
    if (!this.renderer) throw new GpuDeviceError('readPixels: no frame to read (no avatar, or the device is being recovered)');
    this.renderFrame();
    const { width, height } = this.canvas;
    const scratch = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!scratch) throw new GpuDeviceError('readPixels: no 2D context for the readback');
    scratch.drawImage(this.canvas, 0, 0);
    return { width, height, data: scratch.getImageData(0, 0, width, height).data };
  }

  /** Test hook: how many frames this player has submitted (its frame loop and readPixels). */
  framesDrawn(): number {
    return this.framesSubmitted;
  }

  /** Test hook: which of its thread's devices this player draws with (equal ids: one shared device). */
  deviceId(): number {
    return this.lease?.id ?? 0;
  }

  /** Test hook: every URL this thread has requested so far (its resource timeline). */
  resourceRequests(): string[] {
    return performance.getEntriesByType('resource').map((entry) => entry.name);
  }

  /** Test hook: destroys the current device as if the GPU had been lost (every player sharing it recovers). */
  loseDevice(): void {
    this.checkAlive();
    this.device.destroy();
  }

  /** Test hook: the next frame this player draws carries an invalid command (a GPU validation error of its own). */
  injectGpuError(): void {
    this.checkAlive();
    this.invalidNextFrame = true;
  }

  private encodeInvalidCommand(device: GPUDevice, encoder: GPUCommandEncoder): void {
    this.invalidNextFrame = false;
    const buffer = device.createBuffer({ label: 'player injected error', size: 4, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(buffer, 0, buffer, 0, 4); // source and destination the same buffer: invalid
    buffer.destroy();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.frameRequest?.();
    this.frameRequest = undefined;
    this.dropAvatar();
    try {
      this.context?.unconfigure();
    } catch {
      // nothing to release
    }
    this.lease?.release(); // the last player of the thread destroys the shared device
  }

  private dropAvatar(): void {
    this.renderer?.destroy();
    this.renderer = undefined;
    if (this.avatar && this.ownsAvatar) this.avatar.body.dispose();
    this.avatar = undefined;
  }

  private checkAlive(): void {
    if (this.destroyed) throw new AvatarInputError('player: expected a live player, got one that was destroyed');
  }

  /** Reports an error from the frame loop and stops playback (a broken frame would repeat every tick). */
  private fail(error: unknown): void {
    this.paused = true;
    this.emit('error', error);
  }

  private emit(type: PlayerEventType, error?: unknown): void {
    try {
      this.emitter({ type, state: this.state(), ...(error === undefined ? {} : { error: serializeError(error) }) });
    } catch {
      // a listener's failure is not the player's
    }
  }
}

function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new AvatarInputError(`${field}: expected true or false, got ${describeValue(value)}`);
  return value;
}

function checkRate(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_PLAYBACK_RATE) {
    throw new AvatarInputError(`${field}: expected a number in 0…${MAX_PLAYBACK_RATE}, got ${describeValue(value)}`);
  }
  return value;
}

/** A background given as display sRGB 0…1, checked, in linear RGB. */
function checkBackground(field: string, value: unknown): number[] {
  const v = value as ArrayLike<number>;
  if (v === null || typeof v !== 'object' || v.length !== 3 || ![0, 1, 2].every((k) => typeof v[k] === 'number' && v[k] >= 0 && v[k] <= 1)) {
    throw new AvatarInputError(`${field}: expected 3 numbers in 0…1 (sRGB), got ${describeValue(value)}`);
  }
  return [srgbToLinear(v[0]), srgbToLinear(v[1]), srgbToLinear(v[2])];
}
