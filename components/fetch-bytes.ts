/**
 * Fetches the bytes behind a URL the page gave the element (the element fetches nothing else),
 * reporting download progress. Failures become AvatarInputError naming the attribute and URL.
 */
import { AvatarInputError } from '../src/errors.js';

/**
 * The whole body of `url` (resolved against the document), calling `onProgress(fraction 0…1)` as
 * chunks arrive when the server sends Content-Length. `field` names the attribute in errors.
 */
export async function fetchBytes(url: string, field: string, onProgress?: (fraction: number) => void): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new AvatarInputError(`${field}: could not fetch "${url}" (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!response.ok) throw new AvatarInputError(`${field}: could not fetch "${url}": HTTP ${response.status} ${response.statusText}`.trimEnd());
  const total = Number(response.headers.get('content-length'));
  if (!response.body || !(total > 0)) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
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
}
