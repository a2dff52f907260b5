/**
 * One GPUDevice per thread, shared by every player in it (the page's render worker, or the main
 * thread): six elements cost one device, not six. Leases are counted; the device is destroyed
 * when the last lease is released. A lost device is dropped at once, so the next acquire (each
 * player's recovery) gets one new device that all of them share again.
 */
import { requestGpuDevice } from './device.js';

/** A player's hold on the thread's shared device. */
export interface DeviceLease {
  readonly device: GPUDevice;
  /** Which device of this thread (1, 2, … in order of creation): equal ids mean one device. */
  readonly id: number;
  /** Gives the lease back (idempotent); the last one destroys the device. */
  release(): void;
}

interface SharedDevice {
  device: GPUDevice;
  id: number;
  leases: number;
  /** Lost, or destroyed by its last release: no new leases. */
  gone: boolean;
}

let current: Promise<SharedDevice> | undefined;
let devicesCreated = 0;

/**
 * Leases this thread's shared device, requesting it on first use. Rejects with
 * WebGPUUnavailableError as requestGpuDevice does (a failed request is not kept: the next call tries again).
 */
export async function acquireSharedDevice(): Promise<DeviceLease> {
  current ??= requestShared();
  const pending = current;
  let shared: SharedDevice;
  try {
    shared = await pending;
  } catch (e) {
    if (current === pending) current = undefined;
    throw e;
  }
  if (shared.gone) return acquireSharedDevice(); // lost or released while this call waited: a new one
  shared.leases++;
  let released = false;
  return {
    device: shared.device,
    id: shared.id,
    release() {
      if (released) return;
      released = true;
      if (--shared.leases > 0) return;
      shared.gone = true;
      if (current === pending) current = undefined;
      shared.device.destroy();
    },
  };
}

function requestShared(): Promise<SharedDevice> {
  const pending = (async () => {
    const device = await requestGpuDevice({ label: 'gaussian-avatar players' });
    const shared: SharedDevice = { device, id: ++devicesCreated, leases: 0, gone: false };
    // Registered before any player's own `lost` handler, so their recovery finds the slot free.
    void device.lost.then(() => {
      shared.gone = true;
      if (current === pending) current = undefined;
    });
    return shared;
  })();
  return pending;
}
