/**
 * Every typed error the SDK throws. Each message names the field and what was expected,
 * e.g. `new AvatarFormatError('motion.poses: expected N×72 float32, got 10×69')`.
 * All extend `GaussianAvatarError`, so `catch (e) { if (e instanceof GaussianAvatarError) … }`
 * separates the SDK's own refusals from bugs. Errors cross the worker boundary by `name`.
 */
export class GaussianAvatarError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A file (npz, npy, obj, motion, avatar, ply) is malformed or lacks a required field. */
export class AvatarFormatError extends GaussianAvatarError {}

/**
 * A file, download, zip entry or motion is larger than the SDK's input limit (src/io/input-limits.ts).
 * The message names the input, its size, the limit and the `limits` option that raises it. A kind of
 * AvatarFormatError, so code that catches refused files catches these too.
 */
export class InputTooLargeError extends AvatarFormatError {}

/** A call got an argument of the wrong type, shape, length or value (NaN, out of range). */
export class AvatarInputError extends GaussianAvatarError {}

/** No WebGPU adapter/device could be obtained, or a required feature/limit is missing. */
export class WebGPUUnavailableError extends GaussianAvatarError {}

/** The GPU device was lost or reported an error while running SDK work. */
export class GpuDeviceError extends GaussianAvatarError {}

/** A long-running operation was cancelled through its AbortSignal. */
export class AbortError extends GaussianAvatarError {}

/** The camera could not be opened: permission denied, no camera, or the camera is in use. */
export class CameraAccessError extends GaussianAvatarError {}

/** Pose detection found no person in any frame of the input. */
export class NoPersonFoundError extends GaussianAvatarError {}

/** Describes a value for an error message: `Float32Array(69)`, `number NaN`, `string`, … */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) {
    const ctor = (value as object).constructor.name;
    return 'length' in value ? `${ctor}(${(value as unknown as ArrayLike<unknown>).length})` : ctor;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
