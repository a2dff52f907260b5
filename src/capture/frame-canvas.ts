/**
 * Shared by the capture sources: output sizes, drawing a video (or any canvas image source) into
 * RGBA pixels, waiting for media events with cancellation, and option checks.
 */
import { AbortError, AvatarInputError, describeValue } from '../errors.js';

/** Output size: the source scaled down (never up) so its longest side is at most `maxSize`, aspect kept, at least 1×1. */
export function fitSize(width: number, height: number, maxSize: number): { width: number; height: number } {
  const scale = Math.min(1, maxSize / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A reusable 2D canvas whose pixels are read back (OffscreenCanvas where there is one). */
export class FrameCanvas {
  private readonly canvas: OffscreenCanvas | HTMLCanvasElement;
  private readonly context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

  constructor(readonly width: number, readonly height: number) {
    if (typeof OffscreenCanvas !== 'undefined') {
      this.canvas = new OffscreenCanvas(width, height);
    } else {
      this.canvas = document.createElement('canvas');
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const context = this.canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new Error('capture: no 2D canvas context');
    this.context = context;
  }

  /** Draws `source` scaled to the whole canvas and returns its pixels (RGBA, top row first). */
  read(source: CanvasImageSource): ImageData {
    this.context.drawImage(source, 0, 0, this.width, this.height);
    return this.context.getImageData(0, 0, this.width, this.height);
  }
}

/** Throws AbortError when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what}: aborted`);
}

/**
 * Resolves on `event` from `target`; rejects on `errorEvent` (with `onError()`'s error), on abort
 * (AbortError), or after `timeoutMs` (with `onTimeout()`'s error).
 */
export function waitForEvent(
  target: EventTarget,
  event: string,
  options: { signal?: AbortSignal; what: string; errorEvent?: string; onError?: () => Error; timeoutMs?: number; onTimeout?: () => Error },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (error?: Error) => {
      target.removeEventListener(event, onEvent);
      if (options.errorEvent) target.removeEventListener(options.errorEvent, onFail);
      options.signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const onEvent = () => done();
    const onFail = () => done(options.onError?.() ?? new Error(`${options.what}: ${options.errorEvent}`));
    const onAbort = () => done(new AbortError(`${options.what}: aborted`));
    if (options.signal?.aborted) return onAbort();
    target.addEventListener(event, onEvent, { once: true });
    if (options.errorEvent) target.addEventListener(options.errorEvent, onFail, { once: true });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => done(options.onTimeout?.() ?? new Error(`${options.what}: timed out`)), options.timeoutMs);
    }
  });
}

/** `value` (default `fallback`) as an integer in [min, max], or AvatarInputError naming `field`. */
export function integerOption(value: unknown, fallback: number, field: string, min: number, max: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new AvatarInputError(`${field}: expected an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/** `value` (default `fallback`) as a finite number in [min, max], or AvatarInputError naming `field`. */
export function numberOption(value: unknown, fallback: number, field: string, min: number, max: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new AvatarInputError(`${field}: expected a number in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/** Checks that `value` is a function or undefined. */
export function callbackOption<T>(value: T | undefined, field: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new AvatarInputError(`${field}: expected a function, got ${describeValue(value)}`);
  }
  return value;
}

/** Checks that `value` is an AbortSignal or undefined. */
export function signalOption(value: unknown, field: string): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new AvatarInputError(`${field}: expected an AbortSignal, got ${describeValue(value)}`);
  }
  return value as AbortSignal | undefined;
}
