/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, over a subset of the parameters
 * (`free`: the others keep their values). Plain and small: the fit's objective is smooth and its
 * exact gradient is cheap next to a line search with many evaluations.
 */

export interface LbfgsOptions {
  maxIterations: number;
  /** Pairs (s, y) kept (default 10). */
  history?: number;
  /** 1 where a parameter may move (default: all). */
  free?: Uint8Array;
  /** Stop when the loss improves by less than this fraction over an iteration (default 1e-10). */
  relativeTolerance?: number;
  /** Called after every iteration; may throw (abort) and may be async (yield to the event loop). */
  onIteration?: (iteration: number, loss: number) => void | Promise<void>;
}

export interface LbfgsResult {
  x: Float64Array;
  loss: number;
  iterations: number;
}

/** `evaluate(x, grad)` returns the loss at x and writes ∂loss/∂x into grad. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

export async function minimizeLbfgs(evaluate: Objective, x0: Float64Array, options: LbfgsOptions): Promise<LbfgsResult> {
  const n = x0.length, m = options.history ?? 10, free = options.free, tol = options.relativeTolerance ?? 1e-10;
  const mask = (g: Float64Array) => {
    if (free) for (let i = 0; i < n; i++) if (!free[i]) g[i] = 0;
    return g;
  };
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let loss = evaluate(x, g);
  mask(g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const d = new Float64Array(n), xNew = new Float64Array(n), gNew = new Float64Array(n);
  const alpha = new Array<number>(m).fill(0);
  let iteration = 0;
  for (; iteration < options.maxIterations; iteration++) {
    // two-loop recursion: d = −H·g
    d.set(g);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i]! * dot(S[i]!, d);
      for (let k = 0; k < n; k++) d[k]! -= alpha[i]! * Y[i]![k]!;
    }
    const gamma = S.length > 0 ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(Math.sqrt(dot(g, g)), 1e-12);
    for (let k = 0; k < n; k++) d[k]! *= gamma;
    for (let i = 0; i < S.length; i++) {
      const beta = rho[i]! * dot(Y[i]!, d);
      for (let k = 0; k < n; k++) d[k]! += S[i]![k]! * (alpha[i]! - beta);
    }
    for (let k = 0; k < n; k++) d[k] = -d[k]!;
    let slope = dot(g, d);
    if (!(slope < 0)) { // not a descent direction: restart from steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      const scale = 1 / Math.max(Math.sqrt(dot(g, g)), 1e-12);
      for (let k = 0; k < n; k++) d[k] = -g[k]! * scale;
      slope = dot(g, d);
      if (!(slope < 0)) break; // zero gradient
    }
    let step = 1, newLoss = Infinity, accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      for (let k = 0; k < n; k++) xNew[k] = x[k]! + step * d[k]!;
      newLoss = evaluate(xNew, gNew);
      if (Number.isFinite(newLoss) && newLoss <= loss + 1e-4 * step * slope) { accepted = true; break; }
      step *= 0.5;
    }
    if (!accepted) break;
    mask(gNew);
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let k = 0; k < n; k++) { s[k] = xNew[k]! - x[k]!; y[k] = gNew[k]! - g[k]!; }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    const improvement = loss - newLoss;
    [x, g] = [Float64Array.from(xNew), Float64Array.from(gNew)];
    loss = newLoss;
    await options.onIteration?.(iteration + 1, loss);
    if (improvement <= tol * Math.max(Math.abs(loss), 1e-300)) { iteration++; break; }
  }
  return { x, loss, iterations: iteration };
}
