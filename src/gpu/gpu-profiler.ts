/**
 * Per-stage GPU times from timestamp queries: `mark(encoder, label)` opens a stage by writing a
 * timestamp from an empty compute pass (passes run in order, so the next mark closes it); a
 * stage's time is the next mark's timestamp minus its own. Needs the device feature
 * 'timestamp-query'. One frame at a time: `reset()` before encoding it, `read()` after submitting.
 */
import { AvatarInputError } from '../errors.js';

/** One stage's GPU time in the last profiled frame. */
export interface GpuStageTiming {
  stage: string;
  ms: number;
}

const MAX_MARKS = 32;

export class GpuProfiler {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly staging: GPUBuffer;
  private labels: string[] = [];

  constructor(private readonly device: GPUDevice) {
    if (!device.features.has('timestamp-query')) {
      throw new AvatarInputError("options.profile: expected a device with the 'timestamp-query' feature");
    }
    this.querySet = device.createQuerySet({ type: 'timestamp', count: MAX_MARKS });
    this.resolve = device.createBuffer({ label: 'profiler resolve', size: 8 * MAX_MARKS, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.staging = device.createBuffer({ label: 'profiler staging', size: 8 * MAX_MARKS, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  reset(): void {
    this.labels = [];
  }

  mark(encoder: GPUCommandEncoder, label: string): void {
    if (this.labels.length >= MAX_MARKS) return;
    encoder.beginComputePass({ timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: this.labels.length } }).end();
    this.labels.push(label);
  }

  /** Stage times of the marks since the last reset (the last mark only closes the stage before it). */
  async read(): Promise<GpuStageTiming[]> {
    const n = this.labels.length;
    if (n < 2) return [];
    const labels = this.labels.slice();
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, n, this.resolve, 0);
    encoder.copyBufferToBuffer(this.resolve, 0, this.staging, 0, 8 * n);
    this.device.queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ, 0, 8 * n);
    const times = new BigUint64Array(this.staging.getMappedRange(0, 8 * n).slice(0));
    this.staging.unmap();
    const out: GpuStageTiming[] = [];
    for (let i = 0; i + 1 < n; i++) out.push({ stage: labels[i], ms: Number(times[i + 1] - times[i]) / 1e6 });
    return out;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolve.destroy();
    this.staging.destroy();
  }
}
