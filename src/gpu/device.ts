/**
 * WebGPU device acquisition for the SDK: one adapter + device with the optional features the
 * kernels can use (timestamp queries for profiling, subgroups, blending into rgba32float for the
 * playback drawer) and the adapter's largest storage
 * limits, so big Gaussian / intersection buffers fit.
 */
import { WebGPUUnavailableError } from '../errors.js';

export { WebGPUUnavailableError } from '../errors.js';

/** Optional features requested when the adapter has them; nothing in the SDK requires them. */
const OPTIONAL_FEATURES: GPUFeatureName[] = ['timestamp-query', 'subgroups', 'float32-blendable'];

/** Limits raised to whatever the adapter allows (the defaults are too small for big scenes). */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
] as const;

export interface RequestGpuDeviceOptions {
  /** Passed to `navigator.gpu.requestAdapter` (default 'high-performance'). */
  powerPreference?: GPUPowerPreference;
  /** Label for the device, shown in browser error messages. */
  label?: string;
}

/**
 * Requests a WebGPU adapter and device. Rejects with WebGPUUnavailableError when `navigator.gpu`
 * is missing (browser without WebGPU, insecure context), when no adapter is found, or when the
 * device request fails. Device loss is reported on `device.lost` as usual.
 */
export async function requestGpuDevice(options: RequestGpuDeviceOptions = {}): Promise<GPUDevice> {
  const gpu = typeof navigator === 'undefined' ? undefined : navigator.gpu;
  if (!gpu) {
    throw new WebGPUUnavailableError(
      'WebGPU is not available in this browser: navigator.gpu is missing (use a WebGPU-capable browser over https or localhost; ' +
        'Chromium without a GPU needs --enable-unsafe-webgpu)',
    );
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (cause) {
    throw new WebGPUUnavailableError(`WebGPU is not available: requestAdapter() failed: ${String(cause)}`, { cause });
  }
  if (!adapter) {
    throw new WebGPUUnavailableError('WebGPU is not available: requestAdapter() returned null (no usable GPU adapter on this machine)');
  }
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  try {
    return await adapter.requestDevice({ label: options.label ?? 'gaussian-avatar', requiredFeatures, requiredLimits });
  } catch (cause) {
    throw new WebGPUUnavailableError(`WebGPU is not available: requestDevice() failed: ${String(cause)}`, { cause });
  }
}
