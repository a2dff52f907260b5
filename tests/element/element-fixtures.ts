// Shared by the element tests: small elements, blob URLs of a small avatar / motion / corrupt
// file (so no test depends on files being served), and an event recorder.
import { saveAvatar } from '../../src/avatar/avatar-file.js';
import { saveMotion } from '../../src/motion/motion-json.js';
import { armsDownMotion, smallAvatar } from '../player/player-fixtures.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';

/** Small boxes: SwiftShader renders on 2 CPU cores. */
export const BOX_WIDTH = 120;
export const BOX_HEIGHT = 160;

/** A blob: URL of `bytes` (revoked when the page goes). */
export function blobUrl(bytes: Uint8Array | string, type = 'application/octet-stream'): string {
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
}

/** A blob: URL of the small default avatar's .gavatar file. */
export async function smallAvatarUrl(): Promise<string> {
  return blobUrl(saveAvatar(await smallAvatar()));
}

/** A blob: URL of the armsDownMotion as the project's JSON (2 s at 10 fps). */
export function motionUrl(): string {
  return blobUrl(saveMotion(armsDownMotion()), 'application/json');
}

/** Bytes that are no .gavatar file: a zip magic, then noise. */
export function corruptAvatarUrl(): string {
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  return blobUrl(bytes);
}

/** A <gaussian-avatar> of BOX_WIDTH×BOX_HEIGHT CSS pixels with `attributes`, not yet in the page. */
export function makeElement(attributes: Record<string, string> = {}): GaussianAvatarElement {
  const el = document.createElement('gaussian-avatar');
  el.style.width = `${BOX_WIDTH}px`;
  el.style.height = `${BOX_HEIGHT}px`;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

export interface RecordedEvent {
  type: string;
  detail: unknown;
}

/** Records every event of `types` on `target` in order. */
export function recordEvents(target: EventTarget, types: string[]): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (const type of types) target.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  return events;
}

/** Resolves once `predicate()` holds (checked every 20 ms); rejects after `ms` with `what`. */
export async function until(predicate: () => boolean, what: string, ms = 120000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
