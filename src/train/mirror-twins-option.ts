/**
 * trainAvatar's `mirrorTwins` option (see TrainAvatarOptions): its type up front, its length and
 * indices once the UV map's Gaussian count N is known. A bad index would make the GPU read another
 * Gaussian's values silently, so every entry is checked.
 */
import { AvatarInputError, describeValue } from '../errors.js';

export function checkMirrorTwins(value: unknown, count?: number, resolution?: number): Int32Array {
  if (!(value instanceof Int32Array)) throw new AvatarInputError(`options.mirrorTwins: expected an Int32Array (one twin index or −1 per Gaussian), got ${describeValue(value)}`);
  if (count === undefined) return value;
  if (value.length !== count) {
    throw new AvatarInputError(`options.mirrorTwins: expected Int32Array(${count}) (one per Gaussian of the R = ${resolution} UV map), got Int32Array(${value.length})`);
  }
  for (let i = 0; i < count; i++) {
    const twin = value[i]!;
    if (twin < -1 || twin >= count || twin === i) {
      throw new AvatarInputError(`options.mirrorTwins[${i}]: expected −1 or another Gaussian's index in 0…${count - 1}, got ${twin}`);
    }
  }
  return value;
}
