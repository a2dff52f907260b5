/**
 * Whether a WebGPU device runs on a CPU implementation of WebGPU (SwiftShader, llvmpipe / lavapipe,
 * WARP) rather than a GPU. Kernels pick their strategy by it (workgroup memory and barriers cost
 * far more than they save there: splat-rasterizer.ts), and fit mode its default size (a CPU
 * trains ~50× slower: fit-settings.ts). A device without `adapterInfo` counts as a GPU.
 */
export function isCpuAdapter(device: GPUDevice): boolean {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return false;
  return /swiftshader|llvmpipe|lavapipe|warp|\bcpu\b/i.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}
