/**
 * The default body asset's bytes (assets/default-body.bin, layout in default-body-format.ts), decoded
 * once from the base64 copy the page's bundle carries. The package carries that copy once: the
 * player's and the training worker's bundles are built without it (rollup.config.mjs replaces the
 * generated module with `null`), and the page hands its bytes to a worker it starts
 * (`receiveDefaultBodyBytes`, a structured-clone copy; the bytes are only ever read).
 */
import { GaussianAvatarError } from '../errors.js';
import { DEFAULT_BODY_BASE64 } from './default-body-asset.generated.js';

let bytes: Uint8Array | null = null;

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The asset's bytes: the ones received from the page, else this bundle's own copy. Read them, never write. */
export function defaultBodyBytes(): Uint8Array {
  if (bytes) return bytes;
  const base64 = DEFAULT_BODY_BASE64 as string | null;
  if (base64 === null) {
    throw new GaussianAvatarError('default body: this worker is bundled without the default body asset and the page has not sent it (receiveDefaultBodyBytes)');
  }
  bytes = base64ToBytes(base64);
  return bytes;
}

/** In a worker: the page's copy of the asset (from `defaultBodyBytes()` there). */
export function receiveDefaultBodyBytes(given: Uint8Array): void {
  if (!(given instanceof Uint8Array) || given.length < 12) {
    throw new GaussianAvatarError(`default body: expected the asset's bytes (a Uint8Array), got ${given instanceof Uint8Array ? `${given.length} bytes` : typeof given}`);
  }
  bytes = given;
}
