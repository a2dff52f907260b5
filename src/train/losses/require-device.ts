/** The loss factories' first check: a real GPUDevice, not undefined or a stand-in. */
import { AvatarInputError, describeValue } from '../../errors.js';

export function requireDevice(device: unknown): asserts device is GPUDevice {
  if (typeof GPUDevice === 'undefined' || !(device instanceof GPUDevice)) {
    throw new AvatarInputError(`device: expected a GPUDevice, got ${describeValue(device)}`);
  }
}
