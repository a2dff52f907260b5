/**
 * How long a fit's training has left, from the pace of its iterations so far: what "about 4 min
 * left" beside a progress bar needs (FitFromVideoProgress.secondsLeft). Training is most of a fit
 * (bench:real: 447 of 593 s). While stage 1 runs, stage 2's iterations are counted at its pace
 * (on SwiftShader they cost about the same: 0.60 and 0.58 s); then at their own.
 */
export class TrainingClock {
  private readonly stage1Start: number;
  private stage2Start: number | undefined;

  /** Make it when training starts (its setup is part of the wait). */
  constructor(
    private readonly stage1Iterations: number,
    private readonly stage2Iterations: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.stage1Start = now();
  }

  /** Seconds left once `iteration` iterations of `stage` are done; undefined before any is. */
  secondsLeft(stage: 1 | 2, iteration: number): number | undefined {
    const t = this.now();
    // Stage 2 starts when stage 1's last iteration is reported (or with training, when stage 1 has none).
    if (stage === 1 && iteration >= this.stage1Iterations) this.stage2Start = t;
    if (iteration <= 0) return undefined;
    const start = stage === 1 ? this.stage1Start : (this.stage2Start ?? this.stage1Start);
    const perIteration = (t - start) / 1000 / iteration;
    const left = stage === 1 ? this.stage1Iterations - iteration + this.stage2Iterations : this.stage2Iterations - iteration;
    return Math.max(0, left) * perIteration;
  }
}
