/**
 * The training dataset: what `trainAvatar` takes, its validation (typed errors naming the field,
 * all raised before any GPU work) and conversion to linear RGB floats (upload-targets.ts puts it
 * on the GPU).
 *
 * Conventions: images H×W, row-major, top row first; cameras OpenCV (x right, y down, z forward)
 * with `K` 3×3 and `view` 4×4 world→camera, both column-major; pixel centres at +0.5; metres.
 */
import type { BodyModel } from '../body/types.js';
import { SRGB8_TO_LINEAR } from '../color/srgb.js';
import { AvatarInputError, describeValue } from '../errors.js';

export interface TrainingCamera {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** 3×3 intrinsics, column-major [fx, 0, 0, 0, fy, 0, cx, cy, 1] (zero skew). */
  K: Float32Array;
  /** 4×4 world→camera, column-major, OpenCV axes; last row [0, 0, 0, 1]. */
  view: Float32Array;
}

/** An image: ImageData / ImageBitmap (sRGB, converted to linear) or Float32Array H×W×3 linear RGB 0…1. */
export type TrainingImage = ImageData | ImageBitmap | Float32Array;

export interface TrainingFrame {
  image: TrainingImage;
  /**
   * Person mask: Float32Array H×W in 0…1 (1 = person), or ImageData (its red channel / 255).
   * Omitted: the image is taken as already composited on `options.background`.
   */
  mask?: Float32Array | ImageData;
  /** J×3 axis-angle body pose (root first), radians: 72 numbers for SMPL. */
  pose: Float32Array;
  /** Global translation, 3 numbers, metres. */
  trans: Float32Array;
  /**
   * When the frame was shown, seconds within its video (all frames or none). With times, pose
   * refinement also keeps each joint's motion smooth over time (options.regularisation.poseSmoothness).
   */
  time?: number;
}

export interface TrainingDataset {
  /** One camera for every frame … */
  camera?: TrainingCamera;
  /** … or one per frame (cameras[i] for frames[i]); all the same width × height. */
  cameras?: TrainingCamera[];
  frames: TrainingFrame[];
  /** Shape of the person, ≤ body.numBetas numbers; default zeros. */
  betas?: Float32Array;
  /** The body model; default the package's default body. */
  body?: BodyModel;
}

/** A validated frame in linear float RGB. */
export interface PreparedFrame {
  /** H×W×3 linear RGB. */
  rgb: Float32Array;
  /** H×W in 0…1, or null (image already on the background). */
  mask: Float32Array | null;
  pose: Float32Array;
  trans: Float32Array;
  camera: TrainingCamera;
  /** Seconds, when the dataset gave times. */
  time?: number;
}

export interface PreparedDataset {
  width: number;
  height: number;
  frames: PreparedFrame[];
  /** Set when the caller gave betas (else the trainer uses zeros). */
  betas?: Float32Array;
}

function fail(message: string): never {
  throw new AvatarInputError(message);
}

function requireFiniteArray(field: string, value: unknown, length: number, expected: string): Float32Array {
  if (!(value instanceof Float32Array) || value.length !== length) fail(`${field}: expected ${expected}, got ${describeValue(value)}`);
  for (let k = 0; k < length; k++) {
    if (!Number.isFinite(value[k])) fail(`${field}: expected ${expected}, got ${value[k]} at index ${k}`);
  }
  return value;
}

function checkCamera(field: string, camera: unknown): TrainingCamera {
  if (camera === null || typeof camera !== 'object') fail(`${field}: expected { width, height, K, view }, got ${describeValue(camera)}`);
  const c = camera as TrainingCamera;
  for (const side of ['width', 'height'] as const) {
    if (!Number.isInteger(c[side]) || c[side] < 1 || c[side] > 16384) fail(`${field}.${side}: expected an integer in 1…16384, got ${describeValue(c[side])}`);
  }
  const K = requireFiniteArray(`${field}.K`, c.K, 9, 'Float32Array(9) of finite numbers (3×3 column-major)');
  if (!(K[0] > 0 && K[4] > 0) || K[3] !== 0 || K[1] !== 0 || K[2] !== 0 || K[5] !== 0 || K[8] !== 1) {
    fail(`${field}.K: expected column-major [fx, 0, 0, 0, fy, 0, cx, cy, 1] with fx, fy > 0, got [${Array.from(K).join(', ')}]`);
  }
  const view = requireFiniteArray(`${field}.view`, c.view, 16, 'Float32Array(16) of finite numbers (4×4 column-major world→camera)');
  if (view[3] !== 0 || view[7] !== 0 || view[11] !== 0 || view[15] !== 1) {
    fail(`${field}.view: expected the last row [0, 0, 0, 1] (column-major: entries 3, 7, 11, 15), got [${view[3]}, ${view[7]}, ${view[11]}, ${view[15]}]`);
  }
  return c;
}

function isImageData(value: unknown): value is ImageData {
  return typeof ImageData !== 'undefined' && value instanceof ImageData;
}

function isImageBitmap(value: unknown): value is ImageBitmap {
  return typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap;
}

function imageSize(field: string, image: unknown, width: number, height: number): void {
  if (image instanceof Float32Array) {
    if (image.length !== width * height * 3) fail(`${field}: expected Float32Array(${width * height * 3}) (H×W×3 = ${height}×${width}×3 linear RGB), got ${describeValue(image)}`);
    return;
  }
  if (isImageData(image) || isImageBitmap(image)) {
    if (image.width !== width || image.height !== height) fail(`${field}: expected ${width}×${height} pixels (the camera's size), got ${image.width}×${image.height}`);
    return;
  }
  fail(`${field}: expected ImageData, ImageBitmap or Float32Array (H×W×3 linear RGB 0…1), got ${describeValue(image)}`);
}

async function linearRgb(field: string, image: TrainingImage, width: number, height: number): Promise<Float32Array> {
  if (image instanceof Float32Array) {
    for (let k = 0; k < image.length; k++) {
      if (!Number.isFinite(image[k])) fail(`${field}: expected finite values, got ${image[k]} at index ${k}`);
    }
    return image;
  }
  let data: Uint8ClampedArray;
  if (isImageData(image)) {
    data = image.data;
  } else {
    if (typeof OffscreenCanvas === 'undefined') fail(`${field}: ImageBitmap needs OffscreenCanvas to read its pixels; pass ImageData or a Float32Array here`);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) fail(`${field}: could not get a 2D context to read the ImageBitmap`);
    context.drawImage(image, 0, 0);
    data = context.getImageData(0, 0, width, height).data;
  }
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) out[3 * p + c] = SRGB8_TO_LINEAR[data[4 * p + c]!]!;
  }
  return out;
}

function checkMask(field: string, mask: unknown, width: number, height: number): Float32Array {
  let out: Float32Array;
  if (mask instanceof Float32Array) {
    if (mask.length !== width * height) fail(`${field}: expected Float32Array(${width * height}) (H×W = ${height}×${width} in 0…1), got ${describeValue(mask)}`);
    out = mask;
  } else if (isImageData(mask)) {
    if (mask.width !== width || mask.height !== height) fail(`${field}: expected ${width}×${height} pixels (the camera's size), got ${mask.width}×${mask.height}`);
    out = new Float32Array(width * height);
    for (let p = 0; p < width * height; p++) out[p] = mask.data[4 * p]! / 255;
  } else {
    fail(`${field}: expected Float32Array (H×W in 0…1) or ImageData, got ${describeValue(mask)}`);
  }
  let covered = 0;
  for (let p = 0; p < out.length; p++) {
    const m = out[p]!;
    if (!(m >= 0 && m <= 1)) fail(`${field}: expected values in 0…1, got ${m} at pixel ${p}`);
    covered += m;
  }
  if (covered < 1) fail(`${field}: expected a mask that covers the person, got an empty mask (sum ${covered})`);
  return out;
}

/**
 * Validates `dataset` for a body with `numJoints` joints and `numBetas` shape coefficients and
 * converts its images to linear RGB floats. Throws AvatarInputError naming the first bad field.
 */
export async function prepareDataset(dataset: TrainingDataset, numJoints: number, numBetas: number): Promise<PreparedDataset> {
  if (dataset === null || typeof dataset !== 'object') fail(`dataset: expected { camera | cameras, frames, betas?, body? }, got ${describeValue(dataset)}`);
  const { frames } = dataset;
  if (!Array.isArray(frames) || frames.length === 0) fail(`dataset.frames: expected a non-empty array of { image, mask?, pose, trans }, got ${describeValue(frames)}`);
  let cameras: TrainingCamera[];
  if (dataset.cameras !== undefined) {
    if (dataset.camera !== undefined) fail('dataset.camera: expected either camera or cameras, got both');
    if (!Array.isArray(dataset.cameras) || dataset.cameras.length !== frames.length) {
      fail(`dataset.cameras: expected one camera per frame (${frames.length}), got ${describeValue(dataset.cameras)}`);
    }
    cameras = dataset.cameras.map((c, i) => checkCamera(`dataset.cameras[${i}]`, c));
  } else {
    const camera = checkCamera('dataset.camera', dataset.camera);
    cameras = frames.map(() => camera);
  }
  const { width, height } = cameras[0]!;
  cameras.forEach((c, i) => {
    if (c.width !== width || c.height !== height) fail(`dataset.cameras[${i}]: expected ${width}×${height} like cameras[0] (one image size per dataset), got ${c.width}×${c.height}`);
  });
  let betas: Float32Array | undefined;
  if (dataset.betas !== undefined) {
    if (!(dataset.betas instanceof Float32Array) || dataset.betas.length > numBetas) fail(`dataset.betas: expected a Float32Array of at most ${numBetas} numbers, got ${describeValue(dataset.betas)}`);
    requireFiniteArray('dataset.betas', dataset.betas, dataset.betas.length, `finite numbers`);
    betas = new Float32Array(numBetas);
    betas.set(dataset.betas);
  }
  // Shapes and numbers first for every frame (cheap), pixel conversion after.
  frames.forEach((frame, i) => {
    const field = `dataset.frames[${i}]`;
    if (frame === null || typeof frame !== 'object') fail(`${field}: expected { image, mask?, pose, trans }, got ${describeValue(frame)}`);
    imageSize(`${field}.image`, frame.image, width, height);
    requireFiniteArray(`${field}.pose`, frame.pose, numJoints * 3, `Float32Array(${numJoints * 3}) of finite numbers (J×3 axis-angle, radians)`);
    requireFiniteArray(`${field}.trans`, frame.trans, 3, 'Float32Array(3) of finite numbers (metres)');
    if (frame.mask !== undefined) checkMask(`${field}.mask`, frame.mask, width, height);
    if ((frame.time === undefined) !== (frames[0]!.time === undefined)) {
      fail(`${field}.time: expected ${frames[0]!.time === undefined ? 'none (frames[0] has no time)' : 'seconds like frames[0] (all frames or none)'}, got ${describeValue(frame.time)}`);
    }
    if (frame.time !== undefined && !(typeof frame.time === 'number' && Number.isFinite(frame.time))) fail(`${field}.time: expected a finite number of seconds, got ${describeValue(frame.time)}`);
  });
  const prepared: PreparedFrame[] = [];
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const field = `dataset.frames[${i}]`;
    prepared.push({
      rgb: await linearRgb(`${field}.image`, frame.image, width, height),
      mask: frame.mask === undefined ? null : checkMask(`${field}.mask`, frame.mask, width, height),
      pose: Float32Array.from(frame.pose),
      trans: Float32Array.from(frame.trans),
      camera: cameras[i]!,
      ...(frame.time !== undefined ? { time: frame.time } : {}),
    });
  }
  return { width, height, frames: prepared, betas };
}
