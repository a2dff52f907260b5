/**
 * Errors across the worker boundary: the core sends `{ name, message }`; the page gets back an
 * instance of the errors.ts class of that name (so `instanceof AvatarInputError` works in both
 * thread modes). Unknown names become GpuDeviceError if they are WebGPU's own errors, else Error.
 */
import {
  AbortError, AvatarFormatError, AvatarInputError, GaussianAvatarError, GpuDeviceError, InputTooLargeError, WebGPUUnavailableError,
} from '../errors.js';
import type { SerializedError } from './player-types.js';

const CLASSES: Record<string, new (message: string) => Error> = {
  GaussianAvatarError, AvatarFormatError, AvatarInputError, WebGPUUnavailableError, GpuDeviceError, AbortError, InputTooLargeError,
};

/** `{ name, message }` of any thrown value. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  const e = error as Partial<SerializedError> | null;
  if (e !== null && typeof e === 'object' && typeof e.name === 'string' && typeof e.message === 'string') return { name: e.name, message: e.message };
  return { name: 'Error', message: String(error) };
}

/** Turns a serialised (or comlink-rethrown) error back into its typed class; typed errors pass through. */
export function reviveError(error: unknown): Error {
  if (error instanceof GaussianAvatarError) return error;
  const { name, message } = serializeError(error);
  const Class = CLASSES[name] ?? (name === 'GPUValidationError' || name === 'GPUOutOfMemoryError' || name === 'OperationError' ? GpuDeviceError : undefined);
  if (Class) return new Class(message);
  if (error instanceof Error) return error;
  const plain = new Error(message);
  plain.name = name;
  return plain;
}
