/**
 * Growing a training rasterizer's tile-intersection list: intersections past its capacity are
 * dropped, so loops that draw many frames (training, pose fitting) check now and then and swap
 * in a larger rasterizer, with room to spare, before the list fills.
 */
import type { SplatRasterizer } from './splat-rasterizer.js';

/** Twice the last frame's intersections (within the device's limit) when that frame filled over 80 % of `rasterizer`'s list; null when it has room. */
export async function grownIntersectionCapacity(device: GPUDevice, rasterizer: SplatRasterizer): Promise<number | null> {
  const { total, capacity } = await rasterizer.readIntersectionCount();
  if (total <= capacity * 0.8) return null;
  return Math.min(Math.floor(device.limits.maxStorageBufferBindingSize / 4), Math.ceil(total * 2));
}
