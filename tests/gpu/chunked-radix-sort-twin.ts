// Plain TypeScript twins of the chunked radix sort's kernels (src/gpu/chunked-radix-sort.ts),
// written the obvious way:
//   count_chunk_digits   → twinCountChunkDigits
//   scan_chunk_digits    → twinScanChunkDigits
//   scatter_chunk_digits → twinScatterChunkDigits
// and the whole sort (twinChunkedRadixSort) composed of them, pass by pass.

export const CHUNK = 128;
export const DIGIT_BITS = 6;
export const RADIX = 1 << DIGIT_BITS;

export interface Digit {
  shift: number;
  mask: number;
}

/** The passes of a `bits`-bit sort: 6-bit digits from the lowest, the last one narrower. */
export function sortDigits(bits: number): Digit[] {
  return Array.from({ length: Math.ceil(bits / DIGIT_BITS) }, (_, p) => ({ shift: DIGIT_BITS * p, mask: 2 ** Math.min(DIGIT_BITS, bits - DIGIT_BITS * p) - 1 }));
}

const digitOf = (key: number, { shift, mask }: Digit) => (key >>> shift) & mask;

/** counts[d][j]: keys of chunk j (pairs j·CHUNK … (j+1)·CHUNK − 1 of the first n) with digit d. */
export function twinCountChunkDigits(keys: ArrayLike<number>, n: number, digit: Digit): number[][] {
  const chunks = Math.ceil(n / CHUNK);
  const counts = Array.from({ length: RADIX }, () => new Array<number>(chunks).fill(0));
  for (let i = 0; i < n; i++) counts[digitOf(keys[i], digit)][Math.floor(i / CHUNK)]++;
  return counts;
}

/** offsets[d][j] = Σ counts[d][j' < j]; bases[d] = keys with a smaller digit. */
export function twinScanChunkDigits(counts: number[][]): { offsets: number[][]; bases: number[] } {
  const offsets = counts.map((row) => {
    let running = 0;
    return row.map((c) => ((running += c), running - c));
  });
  const totals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const bases = totals.map((_, d) => totals.slice(0, d).reduce((a, b) => a + b, 0));
  return { offsets, bases };
}

/** Each pair to bases[d] + offsets[d][its chunk] + (pairs of digit d before it in its chunk). */
export function twinScatterChunkDigits(
  keys: ArrayLike<number>, values: ArrayLike<number>, n: number, digit: Digit, scan: { offsets: number[][]; bases: number[] },
): { keys: number[]; values: number[] } {
  const out = { keys: new Array<number>(n), values: new Array<number>(n) };
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const d = digitOf(keys[i], digit);
    const chunk = Math.floor(i / CHUNK);
    const rank = seen.get(`${d},${chunk}`) ?? 0;
    seen.set(`${d},${chunk}`, rank + 1);
    const slot = scan.bases[d] + scan.offsets[d][chunk] + rank;
    out.keys[slot] = keys[i];
    out.values[slot] = values[i];
  }
  return out;
}

/** The whole sort of the first n pairs by the low `bits` bits; also the last pass's scan. */
export function twinChunkedRadixSort(keys: ArrayLike<number>, values: ArrayLike<number>, n: number, bits: number) {
  let pairs = { keys: Array.from(keys).slice(0, n), values: Array.from(values).slice(0, n) };
  let scan = { offsets: [] as number[][], bases: [] as number[] };
  for (const digit of sortDigits(bits)) {
    scan = twinScanChunkDigits(twinCountChunkDigits(pairs.keys, n, digit));
    pairs = twinScatterChunkDigits(pairs.keys, pairs.values, n, digit, scan);
  }
  return { ...pairs, lastScan: scan };
}
