/**
 * `trainAvatarInWorker(dataset, options)`: trainAvatar in a Web Worker (src/worker/train-worker.ts),
 * so the page's main thread stays free while the GPU trains. Same dataset and options as
 * trainAvatar (options.device is not available: the worker gets its own device); the same typed
 * errors; aborting options.signal resolves with the avatar as trained so far.
 */
import * as Comlink from 'comlink';
import { loadAvatar } from '../avatar/avatar-file.js';
import type { Avatar } from '../avatar/types.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { reviveError } from '../player/revive-error.js';
import { createTrainWorker } from '../worker/train-worker-url.js';
import type { TrainWorkerApi, WorkerTrainingDataset } from '../worker/train-worker.js';
import type { TrainingDataset } from './dataset.js';
import type { TrainAvatarOptions, TrainingProgress } from './train-avatar.js';
import { defaultBodyBytes } from '../body/default-body-bytes.js';

export interface TrainInWorkerResult {
  avatar: Avatar;
  /** Refined per-frame poses (J×3) and translations (3). */
  poses: Float32Array[];
  trans: Float32Array[];
  iterations: [number, number];
  cancelled: boolean;
  /** Bytes of the trainer's GPU buffers. */
  gpuBytes: number;
}

export async function trainAvatarInWorkerDetailed(dataset: TrainingDataset, options: Omit<TrainAvatarOptions, 'device'> = {}): Promise<TrainInWorkerResult> {
  if (options === null || typeof options !== 'object') throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  if ('device' in options && options.device !== undefined) throw new AvatarInputError('options.device: not available in a worker (the worker requests its own device)');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new AvatarInputError(`options.signal: expected an AbortSignal, got ${describeValue(options.signal)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new AvatarInputError(`options.onProgress: expected a function, got ${describeValue(options.onProgress)}`);
  const { signal, onProgress, ...cloneable } = options;
  let crossing: WorkerTrainingDataset = dataset as WorkerTrainingDataset;
  if (dataset !== null && typeof dataset === 'object' && dataset.body !== undefined) {
    const { body, ...rest } = dataset;
    crossing = { ...rest, bodyData: body?.data };
  }
  const worker = createTrainWorker();
  const api = Comlink.wrap<TrainWorkerApi>(worker);
  const cancel = () => void api.cancel();
  signal?.addEventListener('abort', cancel);
  try {
    await api.receiveDefaultBody(defaultBodyBytes()); // the worker's bundle carries no copy of its own
    const result = await api.train(crossing, cloneable, onProgress && Comlink.proxy((p: TrainingProgress) => onProgress(p)), signal?.aborted ?? false);
    const avatar = await loadAvatar(result.avatarBytes);
    return { avatar, poses: result.poses, trans: result.trans, iterations: result.iterations, cancelled: result.cancelled, gpuBytes: result.gpuBytes };
  } catch (e) {
    throw reviveError(e);
  } finally {
    signal?.removeEventListener('abort', cancel);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

/** trainAvatar in a worker; resolves with the trained Avatar (the caller owns `avatar.body`). */
export async function trainAvatarInWorker(dataset: TrainingDataset, options: Omit<TrainAvatarOptions, 'device'> = {}): Promise<Avatar> {
  return (await trainAvatarInWorkerDetailed(dataset, options)).avatar;
}
