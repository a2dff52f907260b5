/**
 * Fit mode (`mode="fit"`): builds an avatar from a video of the visitor, in the element. A panel
 * over the canvas shows a framing guide, the camera preview with Record / Stop, a file picker,
 * one progress bar per phase, the fit's size (fitFromVideo's preset for this adapter: a light fit
 * on CPU WebGPU) with the time training has left, a live loss plot and the training preview; when done, "Save avatar"
 * downloads the .gavatar, "Download motion" the fitted motion (FitResult.motion, as JSON) and "Play"
 * switches to playback: the new avatar under the fitted motion, playing in a loop.
 *
 * Methods: fitFromFile(blob), startRecording(), stopRecording(), cancelFit(); properties
 * `fitOptions` (passed to fitFromVideo: sizes, iterations, MediaPipe's baseUrl…) and `fitResult`.
 * When the fit has projected the frames onto the body (phase 'preview') the panel says which sides
 * of the body were never seen and what to do ("Never seen: back — turn around slowly…").
 * Events: fitprogress (detail: FitFromVideoProgress; phase 'preview' carries `coverage`), fitcomplete
 * (detail { avatar, result, coverage }: coverage = result.coverage, the sides seen and the advice),
 * error (detail.error: CameraAccessError, NoPersonFoundError, …; not for a cancel). Errors also show as a
 * message in the panel; an avatar already fitted stays (it can still be saved or played).
 */
import { css, html, type CSSResultGroup } from 'lit';
import { state } from 'lit/decorators.js';
import { saveAvatar } from '../../src/avatar/avatar-file.js';
import type { Avatar } from '../../src/avatar/types.js';
import { saveMotion } from '../../src/motion/motion-json.js';
import type { Motion } from '../../src/motion/types.js';
import { AbortError, CameraAccessError, GaussianAvatarError, NoPersonFoundError } from '../../src/errors.js';
import { fitFromVideo, type FitFromVideoOptions, type FitFromVideoProgress, type FitPhase, type FitResult } from '../../src/fit/fit-from-video.js';
import { drawLossPlot, drawPreview } from '../fit/loss-plot.js';
import { fitSizeText, timeLeftText } from '../fit/fit-status-text.js';
import { $reportError, $stop, type GaussianAvatarBase } from '../gaussian-avatar-base.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** The framing guide shown before and while recording. */
export const FIT_GUIDE = 'Stand back 2–3 m so your whole body is in frame, arms a little away from your body (A-pose), and turn around slowly, once.';

const PHASES: readonly FitPhase[] = ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2'];
const PHASE_LABELS: Record<FitPhase, string> = {
  capture: 'Frames', keypoints: 'Keypoints', 'body-fit': 'Body fit', preview: 'Preview', stage1: 'Training 1', stage2: 'Training 2', 'held-out': 'Held-out poses',
};

export interface FitModeInterface {
  /** Options for fitFromVideo (signal and onProgress are the element's). */
  fitOptions: FitFromVideoOptions;
  /** The last successful fit. Its avatar (and the avatar's body, WASM memory) is the page's: the element never disposes it. */
  readonly fitResult: FitResult | null;
  /** Fits an avatar to a video file. Resolves with the result; rejects with a typed error (also fired as 'error'). */
  fitFromFile(file: Blob): Promise<FitResult>;
  /** Opens the camera and records (preview in the panel); stopRecording() ends it and fits. */
  startRecording(): Promise<void>;
  stopRecording(): Promise<FitResult>;
  /** Stops a recording or fit in progress (the fit rejects with AbortError). */
  cancelFit(): void;
}

/** A message for the panel naming what went wrong and what to do. */
function messageFor(error: unknown): string {
  if (error instanceof CameraAccessError) return `The camera is unavailable: ${error.message}. Allow camera access, or pick a video file instead.`;
  if (error instanceof NoPersonFoundError) return `No person found in enough frames: ${error.message}.`;
  if (error instanceof AbortError) return 'Fitting was cancelled.';
  return `Fitting failed: ${(error as Error)?.message ?? String(error)}`;
}

/** Offers `data` as a download named `name`. */
function download(data: Uint8Array | string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const FitModeMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<FitModeInterface> & T => {
  class FitModeElement extends Base {
    static styles: CSSResultGroup = [
      (Base as unknown as { styles: CSSResultGroup }).styles,
      css`
        .fit {
          position: absolute; inset: 0; overflow: auto; box-sizing: border-box; padding: 8px;
          display: flex; flex-direction: column; gap: 6px;
          font: 12px/1.35 system-ui, sans-serif; color: #e8e8ea; background: rgba(22, 24, 29, 0.88);
        }
        .fit video, .fit .preview { width: 100%; max-height: 40%; object-fit: contain; background: #000; }
        .fit .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
        .fit progress { flex: 1; min-width: 40px; }
        .fit .phase { display: flex; gap: 6px; align-items: center; }
        .fit .phase span { width: 6.5em; }
        .fit .loss { width: 100%; height: 40px; background: #0c0d10; }
        .fit .error { color: #ff9a8a; }
        .fit .coverage { color: #ffd479; }
        .fit .status { margin: 0; color: #b9bcc6; }
      `,
    ];

    fitOptions: FitFromVideoOptions = {};
    @state() private fitState: 'idle' | 'recording' | 'fitting' | 'done' = 'idle';
    @state() private fractions: Partial<Record<FitPhase, number>> = {};
    @state() private fitMessage = '';
    /** The coverage report's line for the sides never seen ('' when all were). */
    @state() private coverageMessage = '';
    /** How big the fit is and how long training has left ('' until known). */
    @state() private sizeMessage = '';
    @state() private timeLeftMessage = '';
    private result: FitResult | null = null;
    private losses: number[] = [];
    private controller: AbortController | null = null;
    private recorder: MediaRecorder | null = null;
    private recordedChunks: Blob[] = [];
    private cameraStream: MediaStream | null = null;
    private readonly video = Object.assign(document.createElement('video'), { muted: true, playsInline: true });
    private readonly lossCanvas = Object.assign(document.createElement('canvas'), { width: 240, height: 40 });
    private readonly previewCanvas = document.createElement('canvas');
    /** Whether the avatar was playing when recording or fitting paused it. */
    private playingBeforeFit = false;

    get fitResult(): FitResult | null {
      return this.result;
    }

    private get fitMode(): boolean {
      return (this as unknown as { mode?: string }).mode === 'fit';
    }

    protected override render() {
      const base = super.render();
      if (!this.fitMode) return base;
      const busy = this.fitState === 'recording' || this.fitState === 'fitting';
      return html`${base}<div class="fit" part="fit-panel">
        <p class="guide" part="fit-guide">${FIT_GUIDE}</p>
        ${this.fitState === 'recording' ? this.video : ''}
        <div class="row">
          ${this.fitState === 'recording'
            ? html`<button part="fit-stop" @click=${() => void this.stopRecording().catch(() => undefined)}>Stop</button>`
            : html`<button part="fit-record" ?disabled=${busy} @click=${() => void this.startRecording().catch(() => undefined)}>Record</button>`}
          <label>or a video: <input part="fit-file" type="file" accept="video/*" ?disabled=${busy} @change=${this.onFilePicked} /></label>
          ${busy ? html`<button part="fit-cancel" @click=${() => this.cancelFit()}>Cancel</button>` : ''}
        </div>
        ${PHASES.map((phase) => html`<div class="phase"><span>${PHASE_LABELS[phase]}</span><progress part="fit-progress" data-phase=${phase} max="1" .value=${this.fractions[phase] ?? 0}></progress></div>`)}
        ${this.sizeMessage ? html`<p class="status" part="fit-status" role="status">${this.sizeMessage}${this.fitState === 'fitting' && this.timeLeftMessage ? ` — training ${this.timeLeftMessage}` : ''}</p>` : ''}
        <canvas class="loss" part="fit-loss"></canvas>
        ${this.previewCanvas.width > 0 && (this.fitState === 'fitting' || this.fitState === 'done') ? html`<canvas class="preview" part="fit-preview"></canvas>` : ''}
        ${this.coverageMessage ? html`<p class="coverage" part="fit-coverage" role="status">${this.coverageMessage}</p>` : ''}
        ${this.fitMessage ? html`<p class="error" part="fit-message" role="alert">${this.fitMessage}</p>` : ''}
        ${this.result ? html`<div class="row">
          <button part="fit-save" @click=${() => this.saveFitted()}>Save avatar</button>
          <button part="fit-save-motion" @click=${() => this.saveFittedMotion()}>Download motion</button>
          <button part="fit-play" @click=${() => void this.playFitted()}>Play</button>
        </div>` : ''}
      </div>`;
    }

    protected override updated(changed: Map<PropertyKey, unknown>): void {
      super.updated(changed);
      // The plot and preview canvases are rendered by lit; draw on what is on screen now.
      const root = this.renderRoot as ShadowRoot;
      const loss = root.querySelector<HTMLCanvasElement>('canvas.loss');
      if (loss) drawLossPlot(loss, this.losses);
      const preview = root.querySelector<HTMLCanvasElement>('canvas.preview');
      if (preview && this.previewCanvas.width > 0) {
        [preview.width, preview.height] = [this.previewCanvas.width, this.previewCanvas.height];
        preview.getContext('2d')?.drawImage(this.previewCanvas, 0, 0);
      }
    }

    private onFilePicked = (event: Event): void => {
      const file = (event.target as HTMLInputElement).files?.[0];
      if (file) void this.fitFromFile(file).catch(() => undefined);
    };

    async startRecording(): Promise<void> {
      if (this.fitState === 'recording' || this.fitState === 'fitting') throw new GaussianAvatarError('fit: a recording or fit is already in progress');
      this.fitMessage = '';
      let stream: MediaStream;
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new CameraAccessError('navigator.mediaDevices.getUserMedia: not available (the page needs a secure context)');
        stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, facingMode: 'user' }, audio: false });
      } catch (e) {
        const error = e instanceof CameraAccessError ? e : new CameraAccessError(`camera: ${(e as Error)?.name === 'NotAllowedError' ? 'permission denied' : (e as Error)?.message ?? String(e)}`, { cause: e });
        this.fail(error);
        throw error;
      }
      this.cameraStream = stream;
      this.video.srcObject = stream;
      void this.video.play().catch(() => undefined);
      this.recordedChunks = [];
      this.recorder = new MediaRecorder(stream);
      this.recorder.ondataavailable = (e) => this.recordedChunks.push(e.data);
      this.recorder.start();
      this.setFitState('recording');
    }

    async stopRecording(): Promise<FitResult> {
      const recorder = this.recorder;
      if (!recorder || this.fitState !== 'recording') throw new GaussianAvatarError('fit: not recording');
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.stop();
      await stopped;
      this.closeCamera();
      const clip = new Blob(this.recordedChunks, { type: recorder.mimeType || 'video/webm' });
      this.recordedChunks = [];
      return this.fit(clip); // straight from recording to fitting: the avatar stays paused
    }

    cancelFit(): void {
      if (this.fitState === 'recording') {
        this.recorder?.stop();
        this.closeCamera();
        this.setFitState(this.result ? 'done' : 'idle');
      }
      this.controller?.abort();
    }

    async fitFromFile(file: Blob): Promise<FitResult> {
      if (this.fitState === 'recording' || this.fitState === 'fitting') throw new GaussianAvatarError('fit: a recording or fit is already in progress');
      return this.fit(file);
    }

    private async fit(file: Blob): Promise<FitResult> {
      const controller = new AbortController();
      this.controller = controller;
      this.setFitState('fitting');
      this.fitMessage = '';
      this.coverageMessage = '';
      this.sizeMessage = '';
      this.timeLeftMessage = '';
      this.fractions = {};
      this.losses = [];
      this.previewCanvas.width = 0;
      try {
        const result = await fitFromVideo(file, {
          ...this.fitOptions,
          signal: controller.signal,
          onProgress: (p) => this.onFitProgress(p),
        });
        this.result = result;
        this.setFitState('done');
        this.coverageMessage = result.coverage?.summary ?? '';
        this.dispatchEvent(new CustomEvent('fitcomplete', { detail: { avatar: result.avatar, result, coverage: result.coverage } }));
        return result;
      } catch (e) {
        this.setFitState(this.result ? 'done' : 'idle');
        this.fail(e);
        throw e;
      } finally {
        if (this.controller === controller) this.controller = null;
      }
    }

    private onFitProgress(progress: FitFromVideoProgress): void {
      this.fractions = { ...this.fractions, [progress.phase]: progress.fraction };
      if ((progress.phase === 'stage1' || progress.phase === 'stage2') && progress.loss !== undefined) this.losses.push(progress.loss);
      if (progress.preview) drawPreview(this.previewCanvas, progress.preview);
      if (progress.coverage) this.coverageMessage = progress.coverage.summary;
      if (progress.settings) this.sizeMessage = fitSizeText(progress.settings);
      if (progress.secondsLeft !== undefined) this.timeLeftMessage = timeLeftText(progress.secondsLeft);
      this.dispatchEvent(new CustomEvent('fitprogress', { detail: progress }));
    }

    private fail(error: unknown): void {
      this.fitMessage = messageFor(error);
      // A cancel is the visitor's own doing: shown, not reported as an error.
      if (!(error instanceof AbortError)) this[$reportError](error);
    }

    /** Downloads the fitted avatar as `avatar.gavatar`. */
    private saveFitted(): void {
      if (this.result) download(saveAvatar(this.result.avatar), 'avatar.gavatar', 'application/octet-stream');
    }

    /** Downloads the fitted motion (the refined poses) as `motion.json`. */
    private saveFittedMotion(): void {
      if (this.result) download(saveMotion(this.result.motion), 'motion.json', 'application/json');
    }

    /** Switches to playback: the fitted avatar under the fitted motion, playing it in a loop (the clip is a few seconds). */
    private async playFitted(): Promise<void> {
      if (!this.result) return;
      const self = this as unknown as {
        mode: string; loop?: boolean; loadAvatar?: (a: Avatar) => Promise<void>; loadMotion?: (m: Motion) => Promise<void>; play?: () => Promise<void>;
      };
      self.mode = 'playback';
      self.loop = true;
      try {
        await self.loadAvatar?.(this.result.avatar);
        await self.loadMotion?.(this.result.motion);
        await self.play?.();
      } catch (e) {
        this[$reportError](e);
      }
    }

    /**
     * While recording or fitting, the avatar behind the panel is paused (a paused player draws
     * nothing: no GPU work beside capture, MediaPipe and training); afterwards it plays again if it was.
     */
    private setFitState(next: 'idle' | 'recording' | 'fitting' | 'done'): void {
      const busy = (s: string) => s === 'recording' || s === 'fitting';
      const self = this as unknown as { paused?: boolean; play?: () => Promise<void>; pause?: () => Promise<void> };
      if (busy(next) && !busy(this.fitState)) {
        this.playingBeforeFit = self.paused === false;
        // Also before the player exists: then it starts paused.
        void self.pause?.().catch((e: unknown) => this[$reportError](e));
      } else if (!busy(next) && busy(this.fitState) && this.playingBeforeFit) {
        void self.play?.().catch((e: unknown) => this[$reportError](e));
      }
      this.fitState = next;
    }

    private closeCamera(): void {
      for (const track of this.cameraStream?.getTracks() ?? []) track.stop();
      this.cameraStream = null;
      this.video.srcObject = null;
      this.recorder = null;
    }

    override [$stop](): void {
      this.cancelFit();
      super[$stop]();
    }
  }
  return FitModeElement as unknown as Constructor<FitModeInterface> & T;
};
