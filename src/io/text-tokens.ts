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
