// The in-place token scanner: numberAt gives exactly Number()'s double for every token form
// (its fast path and its fallback), and the token counts bound what follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens, maxTokens, numberAt, skipSpace, tokenEnd } from '../../src/io/text-tokens.js';

/** Deterministic pseudo-random numbers in 0…1 (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('numberAt equals Number() bit for bit: plain decimals, long ones, exponents, junk', () => {
  const fixed = [
    '0', '-0', '+0', '7', '-12.375', '0.1', '.5', '5.', '-.25', '123456789012345', '1234567890123456', '0.30000000000000004',
    '1e3', '-2.5E-7', 'Infinity', '-Infinity', 'NaN', 'nan', '0x1f', '-', '.', '+', '1.2.3', '12a', '9007199254740993',
    '0.000000000000000000001', '0.0000000000000000000000001', '179769313486231570000000000000000', '1_000',
  ];
  const rand = random(11);
  const generated = Array.from({ length: 20000 }, () => {
    const digits = 1 + Math.floor(rand() * 17);
    let s = '';
    for (let d = 0; d < digits; d++) s += Math.floor(rand() * 10);
    const point = Math.floor(rand() * (digits + 2)) - 1; // −1: no point
    if (point >= 0 && point <= digits) s = s.slice(0, point) + '.' + s.slice(point);
    return (rand() < 0.4 ? '-' : '') + s;
  });
  for (const token of [...fixed, ...generated]) {
    const text = `  ${token}\t`;
    assert.ok(Object.is(numberAt(text, 2, 2 + token.length), Number(token)), `"${token}": ${numberAt(text, 2, 2 + token.length)} vs ${Number(token)}`);
  }
});

test('skipSpace, tokenEnd, countTokens and maxTokens walk the tokens in place', () => {
  const text = ' 1\t-2.5\r\n 3e2   x\n';
  const tokens: string[] = [];
  for (let at = skipSpace(text, 0); at < text.length; at = skipSpace(text, tokenEnd(text, at))) tokens.push(text.slice(at, tokenEnd(text, at)));
  assert.deepEqual(tokens, ['1', '-2.5', '3e2', 'x']);
  assert.equal(countTokens(text, 0), 4);
  assert.equal(countTokens(text, 3), 3);
  assert.equal(countTokens('   ', 0), 0);
  assert.ok(maxTokens(text, 0) >= 4);
  assert.equal(maxTokens('1 2 3', 0), 3);
});
