/**
 * Framing the person for training. A clip's person often fills a fraction of the frame (a full
 * body in a landscape video: ~40 % of the height, ~60 px at 256 px), so training at the whole
 * frame's size spends its pixels on the wall. Fit mode captures at a higher resolution, detects
 * and fits the body there, then crops every frame to one box around the person over the whole
 * clip (the union of the masks and confident keypoints, padded) and scales the crop so its longest
 * side is the training size. One box for all frames keeps one camera: the crop is a change of
 * intrinsics only, K' = S·(K − offset) (the body fit's poses stay valid as they are).
 *
 * Pixel coordinates: x right, y down, the image's corner at (0, 0), pixel centres at +0.5; a point
 * u of the source maps to (u − box.x)·scale in the crop.
 */
import type { PoseFrame } from '../capture/types.js';
import type { FitCamera } from './types.js';

/** An axis-aligned box in source pixels (integers, inside the source image). */
export interface PersonBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The crop: the source box and the scale to the output (≤ 1: never upsampled), and the output size. */
export interface PersonCrop {
  box: PersonBox;
  scale: number;
  width: number;
  height: number;
}

/** Keypoints below this visibility do not extend the box (occluded points may be far off). */
const MIN_VISIBILITY = 0.5;
/** Mask values (0…255) counted as person. */
const MASK_PERSON = 128;

/**
 * The union over `frames` of the person's extent — mask pixels ≥ ½ and keypoints with visibility
 * ≥ ½ — padded by `padding` × its larger side on every side and clipped to the image. null when no
 * frame shows anything. All frames must share one size.
 */
export function personBox(frames: readonly Pick<PoseFrame, 'width' | 'height' | 'keypoints' | 'mask'>[], padding = 0.1): PersonBox | null {
  if (frames.length === 0) return null;
  const { width, height } = frames[0]!;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const frame of frames) {
    if (frame.width !== width || frame.height !== height) throw new RangeError(`personBox: frames of one size expected, got ${width}×${height} and ${frame.width}×${frame.height}`);
    const k = frame.keypoints;
    for (let i = 0; i + 2 < k.length; i += 3) {
      if (!(k[i + 2]! >= MIN_VISIBILITY)) continue;
      x0 = Math.min(x0, k[i]!); x1 = Math.max(x1, k[i]!);
      y0 = Math.min(y0, k[i + 1]!); y1 = Math.max(y1, k[i + 1]!);
    }
    const mask = frame.mask;
    if (!mask) continue;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        if (mask[row + x]! < MASK_PERSON) continue;
        if (x < x0) x0 = x;
        if (x + 1 > x1) x1 = x + 1;
        if (y < y0) y0 = y;
        if (y + 1 > y1) y1 = y + 1;
      }
    }
  }
  if (!(x1 > x0 && y1 > y0)) return null;
  const pad = padding * Math.max(x1 - x0, y1 - y0);
  const left = Math.max(0, Math.floor(x0 - pad)), top = Math.max(0, Math.floor(y0 - pad));
  const right = Math.min(width, Math.ceil(x1 + pad)), bottom = Math.min(height, Math.ceil(y1 + pad));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The crop of `box` whose longest side is `maxSize` (or the box's own size when smaller: never upsampled). */
export function personCrop(box: PersonBox, maxSize: number): PersonCrop {
  const scale = Math.min(1, maxSize / Math.max(box.width, box.height));
  return { box, scale, width: Math.max(1, Math.round(box.width * scale)), height: Math.max(1, Math.round(box.height * scale)) };
}

/** The camera that sees the crop: focal × scale, principal point moved with the box and scaled. */
export function cropCamera(camera: FitCamera, crop: PersonCrop): FitCamera {
  const K = camera.K, s = crop.scale;
  return {
    width: crop.width,
    height: crop.height,
    K: new Float32Array([K[0]! * s, 0, 0, 0, K[4]! * s, 0, (K[6]! - crop.box.x) * s, (K[7]! - crop.box.y) * s, 1]),
    view: camera.view.slice(),
  };
}

/** Keypoints (33×3: x px, y px, visibility) in the crop's pixels. */
export function cropKeypoints(keypoints: Float32Array, crop: PersonCrop): Float32Array {
  const out = keypoints.slice();
  for (let i = 0; i + 2 < out.length; i += 3) {
    out[i] = (out[i]! - crop.box.x) * crop.scale;
    out[i + 1] = (out[i + 1]! - crop.box.y) * crop.scale;
  }
  return out;
}

/**
 * A mask (bytes, `sourceWidth` wide) resampled into the crop: each output pixel averages the
 * source pixels its footprint covers (area-weighted, exact for any scale ≤ 1).
 */
export function cropMask(mask: Uint8Array, sourceWidth: number, crop: PersonCrop): Uint8Array {
  const { box, width, height } = crop;
  const out = new Uint8Array(width * height);
  const stepX = box.width / width, stepY = box.height / height;
  for (let y = 0; y < height; y++) {
    const sy0 = box.y + y * stepY, sy1 = sy0 + stepY;
    for (let x = 0; x < width; x++) {
      const sx0 = box.x + x * stepX, sx1 = sx0 + stepX;
      let sum = 0, area = 0;
      for (let py = Math.floor(sy0); py < Math.ceil(sy1); py++) {
        const wy = Math.min(sy1, py + 1) - Math.max(sy0, py);
        for (let px = Math.floor(sx0); px < Math.ceil(sx1); px++) {
          const w = wy * (Math.min(sx1, px + 1) - Math.max(sx0, px));
          sum += w * mask[py * sourceWidth + px]!;
          area += w;
        }
      }
      out[y * width + x] = Math.round(sum / area);
    }
  }
  return out;
}

/** The image's box scaled into the crop (the browser's high-quality resampling). */
export function cropImage(image: ImageData, crop: PersonCrop): ImageData {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d')!.putImageData(image, 0, 0);
  const target = new OffscreenCanvas(crop.width, crop.height);
  const context = target.getContext('2d', { willReadFrequently: true })!;
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  const { box } = crop;
  context.drawImage(source, box.x, box.y, box.width, box.height, 0, 0, crop.width, crop.height);
  return context.getImageData(0, 0, crop.width, crop.height);
}

/** A detection moved into the crop (keypoints, mask and size; world landmarks are camera-independent). */
export function cropPoseFrame(frame: PoseFrame, crop: PersonCrop): PoseFrame {
  return {
    ...frame,
    width: crop.width,
    height: crop.height,
    keypoints: cropKeypoints(frame.keypoints, crop),
    ...(frame.mask ? { mask: cropMask(frame.mask, frame.width, crop) } : {}),
  };
}

/** A detection made in the box (at scale 1) moved back into the whole `width` × `height` frame. */
export function uncropPoseFrame(frame: PoseFrame, box: PersonBox, width: number, height: number): PoseFrame {
  const keypoints = frame.keypoints.slice();
  for (let i = 0; i + 2 < keypoints.length; i += 3) {
    keypoints[i] = keypoints[i]! + box.x;
    keypoints[i + 1] = keypoints[i + 1]! + box.y;
  }
  let mask: Uint8Array | undefined;
  if (frame.mask) {
    // Outside the box nothing was looked at: background.
    mask = new Uint8Array(width * height);
    for (let y = 0; y < frame.height; y++) mask.set(frame.mask.subarray(y * frame.width, (y + 1) * frame.width), (y + box.y) * width + box.x);
  }
  return { ...frame, width, height, keypoints, ...(mask ? { mask } : {}) };
}
