/**
 * A short content fingerprint of a body model's arrays, so an avatar file that refers to the
 * package's default body (instead of embedding it) can tell when it is loaded against a different
 * default body than the one its Gaussians were built on.
 */
import type { BodyModelData } from '../body/types.js';

/** Fields hashed, in this order (missing optional UV arrays hash as empty). */
const FIELDS = ['vTemplate', 'shapedirs', 'posedirs', 'jRegressor', 'weights', 'parents', 'faces', 'uvs', 'uvFaces'] as const;

/**
 * `fnv1a32x2:<16 hex digits>`: two FNV-1a variants over the 32-bit words of every array (with its
 * length), i.e. over the exact float bits. Not cryptographic; it detects changed data, not malice.
 */
export function bodyFingerprint(data: BodyModelData): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ data.numBetas;
  const mix = (word: number) => {
    h1 = Math.imul(h1 ^ word, 0x01000193);
    h2 = Math.imul(h2 ^ ((word >>> 16) | (word << 16)), 0x01000193) + 0x9e3779b9;
  };
  mix(data.numBetas);
  for (const name of FIELDS) {
    const array = data[name];
    if (array === undefined) {
      mix(0);
      continue;
    }
    mix(array.length);
    const words = new Uint32Array(array.buffer, array.byteOffset, array.length);
    for (let i = 0; i < words.length; i++) mix(words[i]!);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return `fnv1a32x2:${hex(h1)}${hex(h2)}`;
}
