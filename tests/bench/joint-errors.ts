// Joint position errors of estimated poses against the truth, for the benchmarks (J×3 joint positions per frame, metres).

/** Per-joint position error (metres), mean over frames; `aligned`: both sets relative to their pelvis. */
export function jointErrors(estimate: Float32Array[], truth: Float32Array[], aligned: boolean): Float64Array {
  const out = new Float64Array(estimate[0]!.length / 3);
  estimate.forEach((e, f) => {
    const t = truth[f]!;
    for (let j = 0; j < out.length; j++) {
      out[j] += Math.hypot(...[0, 1, 2].map((c) => e[3 * j + c]! - t[3 * j + c]! - (aligned ? e[c]! - t[c]! : 0))) / estimate.length;
    }
  });
  return out;
}

/** Mean joint position error (metres) over frames and joints. */
export function mpjpe(estimate: Float32Array[], truth: Float32Array[], aligned: boolean): number {
  const errors = jointErrors(estimate, truth, aligned);
  return errors.reduce((a, b) => a + b, 0) / errors.length;
}
