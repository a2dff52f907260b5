/**
 * The training worker: runs `trainAvatarDetailed` off the page's main thread (comlink), so the
 * page stays responsive while the GPU trains. The trained avatar comes back as the bytes of a
 * `.gavatar` file (an Avatar holds WebAssembly memory, which cannot cross threads); a dataset's
 * own body crosses as its raw arrays. Cancelling goes through `cancel()` (an AbortSignal cannot
 * be sent to a worker). Errors cross as `{ name, message }` (see src/player/revive-error.ts).
 */
import * as Comlink from 'comlink';
import { saveAvatar } from '../avatar/avatar-file.js';
import { createBodyModel } from '../body/body-model.js';
import { receiveDefaultBodyBytes } from '../body/default-body-bytes.js';
import type { BodyModelData } from '../body/types.js';
import { serializeError } from '../player/revive-error.js';
import type { SerializedError } from '../player/player-types.js';
import type { TrainingDataset } from '../train/dataset.js';
import { trainAvatarDetailed, type TrainAvatarOptions, type TrainingProgress } from '../train/train-avatar.js';

/** trainAvatar's options that can be cloned into a worker (no signal, device or callback). */
export type WorkerTrainOptions = Omit<TrainAvatarOptions, 'signal' | 'device' | 'onProgress'>;

/** The dataset as it crosses: `body` replaced by its raw arrays. */
export type WorkerTrainingDataset = Omit<TrainingDataset, 'body'> & { bodyData?: BodyModelData };

export interface WorkerTrainResult {
  /** The trained avatar as `.gavatar` bytes (loadAvatar), transferred. */
  avatarBytes: Uint8Array;
  /** Refined per-frame poses (J×3 each) and translations (3 each). */
  poses: Float32Array[];
  trans: Float32Array[];
  iterations: [number, number];
  cancelled: boolean;
  gpuBytes: number;
}

export interface TrainWorkerApi {
  /** Trains; resolves with the result, or rejects with a SerializedError-shaped error. */
  train(dataset: WorkerTrainingDataset, options: WorkerTrainOptions, onProgress?: (progress: TrainingProgress) => void, aborted?: boolean): Promise<WorkerTrainResult>;
  /** Aborts the running training (it then resolves with the avatar as trained so far). */
  cancel(): void;
  /** The default body asset from the page (this worker's bundle carries none). */
  receiveDefaultBody(bytes: Uint8Array): void;
}

let controller: AbortController | undefined;

const api: TrainWorkerApi = {
  receiveDefaultBody(bytes) {
    receiveDefaultBodyBytes(bytes);
  },
  async train(dataset, options, onProgress, aborted) {
    controller = new AbortController();
    if (aborted) controller.abort();
    const { bodyData, ...rest } = dataset ?? ({} as WorkerTrainingDataset);
    const body = bodyData ? await createBodyModel(bodyData) : undefined;
    try {
      const result = await trainAvatarDetailed({ ...rest, body } as TrainingDataset, {
        ...options,
        signal: controller.signal,
        // A page that went away drops the message; training goes on regardless.
        onProgress: onProgress && ((p) => void (onProgress(p) as unknown as Promise<void> | undefined)?.catch?.(() => undefined)),
      });
      const avatarBytes = saveAvatar(result.avatar);
      result.avatar.body.dispose();
      const out: WorkerTrainResult = {
        avatarBytes, poses: result.poses, trans: result.trans, iterations: result.iterations, cancelled: result.cancelled, gpuBytes: result.gpuBytes,
      };
      return Comlink.transfer(out, [avatarBytes.buffer as ArrayBuffer]);
    } catch (e) {
      body?.dispose();
      throw serializedThrowable(serializeError(e));
    } finally {
      controller = undefined;
    }
  },
  cancel() {
    controller?.abort();
  },
};

/** An Error carrying the serialised name (comlink re-creates Errors by message; the name is kept as a field). */
function serializedThrowable(error: SerializedError): Error {
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

Comlink.expose(api);
