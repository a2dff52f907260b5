/** Shared by the browser benchmarks: timing of GPU work and the adapter's name for the table. */

/** Median wall-clock ms of `runs` submits of what `encode` records, after one warm-up submit. */
export async function medianMs(device: GPUDevice, runs: number, encode: (encoder: GPUCommandEncoder) => void): Promise<number> {
  const once = async () => {
    const encoder = device.createCommandEncoder();
    encode(encoder);
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await once(); // warm-up: pipeline compilation, first-use allocations
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** `vendor / architecture / device / description` of the device's adapter, for the printed table. */
export function adapterName(device: GPUDevice): string {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return 'unknown adapter';
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
}

/** The mean of `values` (0 for none). */
export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}
