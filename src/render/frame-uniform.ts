/**
 * The per-frame uniform of the splatting kernels (`Frame` in wgsl/helpers/splat_frame.wgsl, 144
 * bytes): camera, the EWA Jacobian's clamp limits, background, image and tile sizes. The playback
 * drawer writes it with this function; the training rasterizer (splat-rasterizer.ts) writes the
 * same layout.
 */
import type { CheckedCamera } from './validate-scene.js';

/** Bytes of the Frame uniform. */
export const FRAME_BYTES = 144;
/** Tile edge in pixels of the tile grid the kernels cull against. */
const TILE_SIZE = 16;
/** The Jacobian's x/z, y/z are clamped to the image's extent widened by this fraction per side (3DGS: 1.3·tan(fov/2)). */
const CLAMP_MARGIN = 0.15;

export interface FrameUniform {
  camera: CheckedCamera;
  width: number;
  height: number;
  /** Gaussians N. */
  count: number;
  /** Linear RGB. */
  background: [number, number, number];
  /** Size of the intersection list (training rasterizer; 0 where unused). */
  capacity: number;
}

/** The Frame's bytes (column-major view matrix, as WGSL's mat4x4f). */
export function frameUniformBytes(f: FrameUniform): ArrayBuffer {
  const { fx, fy, cx, cy } = f.camera;
  const { width: w, height: h } = f;
  const data = new ArrayBuffer(FRAME_BYTES);
  const floats = new Float32Array(data);
  const words = new Uint32Array(data);
  floats.set(f.camera.view, 0);
  floats.set([fx, fy, cx, cy], 16);
  floats.set([(-cx - CLAMP_MARGIN * w) / fx, (-cy - CLAMP_MARGIN * h) / fy], 20);
  floats.set([((1 + CLAMP_MARGIN) * w - cx) / fx, ((1 + CLAMP_MARGIN) * h - cy) / fy], 22);
  floats.set([...f.background, 0], 24);
  words.set([w, h, Math.ceil(w / TILE_SIZE), Math.ceil(h / TILE_SIZE), f.count, f.capacity], 28);
  floats[34] = f.camera.near;
  return data;
}
