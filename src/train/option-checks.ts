/** Numeric options of the SDK's calls: the default when absent, else the value in range, or AvatarInputError naming `options.<field>`. */
import { AvatarInputError, describeValue } from '../errors.js';

/** An integer in min…max (default `fallback`). */
export function integerOption(field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AvatarInputError(`options.${field}: expected an integer in ${min}…${max}, got ${describeValue(value)}`);
  }
  return value;
}

/** A finite number in min…max (default `fallback`). */
export function finiteOption(field: string, value: unknown, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new AvatarInputError(`options.${field}: expected a finite number in ${min}…${max}, got ${describeValue(value)}`);
  }
  return value;
}
