/**
 * Fetches the bytes behind a URL the page gave the element (the element fetches nothing else),
 * reporting download progress. Failures become AvatarInputError naming the attribute and URL; an
 * aborted fetch (a newer load superseded it) becomes AbortError, which the element reports to nobody.
 * A body above the input limit becomes InputTooLargeError as soon as that is known: from
 * Content-Length before reading, else once the bytes received pass the limit (the download stops).
 */
import { AbortError, AvatarInputError, InputTooLargeError } from '../src/errors.js';
import { checkInputSize, type InputLimits } from '../src/io/input-limits.js';

export interface FetchBytesOptions {
  /** Called with 0…1 as chunks arrive, when the server sends Content-Length. */
  onProgress?: (fraction: number) => void;
  /** Aborts the request and the body's download (the promise rejects with AbortError). */
  signal?: AbortSignal;
  /** The body's size limit: `limits[option]` bytes (src/io/input-limits.ts). Default: none. */
  limit?: { limits: Required<InputLimits>; option: keyof InputLimits };
}

/**
 * The whole body of `url` (resolved against the document). `field` names the attribute in errors.
 */
export async function fetchBytes(url: string, field: string, options: FetchBytesOptions = {}): Promise<Uint8Array> {
  const { onProgress, signal, limit } = options;
  const maxBytes = limit ? limit.limits[limit.option] : Infinity;
  /** Stops the download (`cancel`) and throws InputTooLargeError when `size` is above the limit. */
  const refuseAbove = (size: number, cancel: () => Promise<void> | undefined) => {
    if (size <= maxBytes) return;
    cancel()?.catch(() => undefined);
    checkInputSize(`${field}: "${url}"`, size, limit!.limits, limit!.option);
  };
  const aborted = () => new AbortError(`${field}: the load of "${url}" was superseded`);
  if (signal?.aborted) throw aborted();
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw aborted();
    throw new AvatarInputError(`${field}: could not fetch "${url}" (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!response.ok) throw new AvatarInputError(`${field}: could not fetch "${url}": HTTP ${response.status} ${response.statusText}`.trimEnd());
  const total = Number(response.headers.get('content-length'));
  // Content-Length counts encoded bytes, at most the decoded size: above the limit, nothing is read.
  if (total > 0) refuseAbove(total, () => response.body?.cancel());
  try {
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      refuseAbove(bytes.length, () => undefined);
      return bytes;
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      refuseAbove(received, () => reader.cancel());
      if (!(total > 0)) continue;
      // Content-Length counts encoded bytes; a compressed response can deliver more than that.
      onProgress?.(Math.min(1, received / total));
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } catch (e) {
    // The signal also cancels the body's stream; anything else is a broken download.
    if (signal?.aborted) throw aborted();
    if (e instanceof InputTooLargeError) throw e;
    throw new AvatarInputError(`${field}: the download of "${url}" failed (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The bytes of a Blob (a File), refused with InputTooLargeError above `limits[option]` before they are read. */
export async function blobBytes(blob: Blob, field: string, limits: Required<InputLimits>, option: keyof InputLimits): Promise<Uint8Array> {
  checkInputSize(`${field}: Blob`, blob.size, limits, option);
  return new Uint8Array(await blob.arrayBuffer());
}
