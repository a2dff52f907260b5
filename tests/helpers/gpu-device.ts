// Shared browser-test helper: a WebGPU device, or a failing test. A test machine without a
// WebGPU adapter is a broken test machine, so this never skips.
let cached: Promise<GPUDevice> | undefined;

export async function getTestDevice(): Promise<GPUDevice> {
  cached ??= (async () => {
    if (typeof navigator === 'undefined' || !navigator.gpu) {
      throw new Error('navigator.gpu is missing: run Chromium with --enable-unsafe-webgpu (see web-test-runner.config.mjs)');
    }
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('requestAdapter() returned null: no WebGPU adapter on this machine');
    const features: GPUFeatureName[] = [];
    for (const f of ['timestamp-query', 'subgroups', 'float32-blendable'] as GPUFeatureName[]) {
      if (adapter.features.has(f)) features.push(f);
    }
    const device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    device.lost.then((info) => console.error(`test GPU device lost: ${info.reason} ${info.message}`));
    return device;
  })();
  return cached;
}

/** Runs `body` and fails if it raised a WebGPU validation or out-of-memory error. */
export async function expectNoGpuError<T>(device: GPUDevice, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const result = await body();
  const oom = await device.popErrorScope();
  const validation = await device.popErrorScope();
  if (oom) throw new Error(`GPU out-of-memory error: ${oom.message}`);
  if (validation) throw new Error(`GPU validation error: ${validation.message}`);
  return result;
}
