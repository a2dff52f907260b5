/**
 * Pipelines compiled once per device. Every renderer on a device (one per player, and the players
 * of a thread share one device) asks for the same kernels; compiling them — seconds on a CPU
 * adapter — once per device instead of once per renderer lets the second to sixth player start
 * without compiling anything. Pipelines with auto layouts are safe to share: bind groups made from
 * a pipeline's layout work with that pipeline, whoever made them. A new device (after a loss)
 * starts an empty cache.
 */

const caches = new WeakMap<GPUDevice, Map<string, GPUComputePipeline | GPURenderPipeline>>();

/**
 * The pipeline stored under `key` on `device`, made by `create` the first time. `key` must
 * name everything `create` depends on (the shader source, entry points, constants, formats).
 */
export function cachedPipeline<T extends GPUComputePipeline | GPURenderPipeline>(device: GPUDevice, key: string, create: () => T): T {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  let pipeline = cache.get(key) as T | undefined;
  if (!pipeline) {
    pipeline = create();
    cache.set(key, pipeline);
  }
  return pipeline;
}

/** A compute pipeline (auto layout) for `code`, compiled once per device. */
export function cachedComputePipeline(
  device: GPUDevice,
  label: string,
  code: string,
  { entryPoint = 'main', constants }: { entryPoint?: string; constants?: Record<string, number> } = {},
): GPUComputePipeline {
  const key = `compute ${label} ${entryPoint} ${JSON.stringify(constants ?? {})}\n${code}`;
  return cachedPipeline(device, key, () =>
    device.createComputePipeline({ label, layout: 'auto', compute: { module: device.createShaderModule({ label, code }), entryPoint, constants } }));
}
