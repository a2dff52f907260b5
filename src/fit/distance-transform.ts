/**
 * Distance transforms on pixel grids (row-major, top row first): how far each pixel is from the
 * nearest pixel of a set, and which pixel that is. Two raster passes (chamfer), exact along rows,
 * columns and diagonals and within ~8 % elsewhere: the mask refinement and the silhouette fit need
 * bands a few pixels wide and nearest pixels, not exact Euclidean distances.
 */

/** Distance (chamfer 1/√2) from each pixel to the nearest pixel where `target` is true; Infinity when none. */
export function distanceTo(target: Uint8Array, width: number, height: number): Float32Array {
  const d = new Float32Array(width * height);
  for (let p = 0; p < d.length; p++) d[p] = target[p] ? 0 : Infinity;
  const diagonal = Math.SQRT2;
  const relax = (p: number, q: number, step: number) => {
    const candidate = d[q]! + step;
    if (candidate < d[p]!) d[p] = candidate;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (x > 0) relax(p, p - 1, 1);
      if (y > 0) {
        relax(p, p - width, 1);
        if (x > 0) relax(p, p - width - 1, diagonal);
        if (x + 1 < width) relax(p, p - width + 1, diagonal);
      }
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const p = y * width + x;
      if (x + 1 < width) relax(p, p + 1, 1);
      if (y + 1 < height) {
        relax(p, p + width, 1);
        if (x + 1 < width) relax(p, p + width + 1, diagonal);
        if (x > 0) relax(p, p + width - 1, diagonal);
      }
    }
  }
  return d;
}

/**
 * For each pixel, the index of a nearest pixel where `target` is true (the same chamfer passes as
 * distanceTo, carrying the pixel along); −1 everywhere when there is none.
 */
export function nearestTargetPixel(target: Uint8Array, width: number, height: number): Int32Array {
  const nearest = new Int32Array(width * height).fill(-1);
  const d = new Float32Array(width * height);
  for (let p = 0; p < d.length; p++) {
    if (target[p]) nearest[p] = p;
    d[p] = target[p] ? 0 : Infinity;
  }
  const relax = (p: number, x: number, y: number, q: number) => {
    const n = nearest[q]!;
    if (n < 0) return;
    const candidate = Math.hypot((n % width) - x, Math.floor(n / width) - y);
    if (candidate < d[p]!) {
      d[p] = candidate;
      nearest[p] = n;
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (x > 0) relax(p, x, y, p - 1);
      if (y > 0) {
        relax(p, x, y, p - width);
        if (x > 0) relax(p, x, y, p - width - 1);
        if (x + 1 < width) relax(p, x, y, p - width + 1);
      }
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const p = y * width + x;
      if (x + 1 < width) relax(p, x, y, p + 1);
      if (y + 1 < height) {
        relax(p, x, y, p + width);
        if (x + 1 < width) relax(p, x, y, p + width + 1);
        if (x > 0) relax(p, x, y, p + width - 1);
      }
    }
  }
  return nearest;
}
