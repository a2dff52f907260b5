/**
 * Whitespace-separated tokens of a large text (BVH frame rows, ASCII PLY bodies), scanned in place:
 * a file's values are read one at a time instead of splitting the text into an array of strings,
 * which for a 64 MB file would hold millions of strings at once.
 */

/** ASCII whitespace: space, tab, newline, vertical tab, form feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Index of the first non-whitespace character at or after `at` (`text.length` when none). */
export function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** Index just past the token starting at `at`. */
export function tokenEnd(text: string, at: number): number {
  while (at < text.length && !isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** Tokens from `at` to the end, counted without collecting them. */
export function countTokens(text: string, at: number): number {
  let count = 0;
  for (at = skipSpace(text, at); at < text.length; at = skipSpace(text, tokenEnd(text, at))) count++;
  return count;
}

/** Most tokens that can follow `at`: each takes a character and all but the last a separator. */
export function maxTokens(text: string, at: number): number {
  return Math.ceil((text.length - at) / 2);
}

/** Exact powers of ten: 10^k is a double without rounding for k ≤ 22. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `Number(text.slice(start, end))` without making the substring, for the plain decimals files are
 * full of (`-12.375`, `0.5`, `7`): with at most 15 digits, m / 10^k of two exact doubles is the
 * correctly rounded value, the same double Number() gives. Anything else (exponents, more digits,
 * `Infinity`, hex, junk) goes to Number() itself.
 */
export function numberAt(text: string, start: number, end: number): number {
  let at = start;
  let sign = 1;
  const first = text.charCodeAt(at);
  if (first === 45 /* - */ || first === 43 /* + */) {
    if (first === 45) sign = -1;
    at++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1; // digits after the point, −1 before it
  for (; at < end; at++) {
    const c = text.charCodeAt(at);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 /* . */ && fraction < 0) {
      fraction = 0;
    } else {
      break;
    }
  }
  if (at !== end || digits === 0 || digits > 15) return Number(text.slice(start, end));
  return (sign * mantissa) / POWERS_OF_TEN[fraction > 0 ? fraction : 0]!;
}
