// Test images for the pose stage: the default avatar rendered by the project's GPU renderer
// (createDefaultAvatar + createAvatarRenderer) from the front, arms lowered to an A-pose, on a
// plain background — something a person detector recognises — and the projected 2D positions of
// the body's joints in that image, to compare MediaPipe's keypoints with.
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { createAvatarRenderer } from '../../src/render/avatar-renderer.js';
import { frontCamera } from '../helpers/front-camera.js';
import { getTestDevice } from '../helpers/gpu-device.js';

/** Light grey, like a plain wall. */
const BACKGROUND = [0.93, 0.93, 0.93];

export interface PersonImage {
  image: ImageData;
  /** Projected SMPL joints, J×2 pixels (x right, y down). */
  joints: Float64Array;
}

/** The rendered default avatar, arms lowered 1.2 rad, in a width×height image (default 144×192). */
export async function renderPerson(width = 144, height = 192): Promise<PersonImage> {
  const device = await getTestDevice();
  const avatar = await createDefaultAvatar({ resolution: 96 });
  const J = avatar.body.numJoints;
  const pose = new Float32Array(J * 3);
  pose[16 * 3 + 2] = -1.2; // left shoulder about z: arm down
  pose[17 * 3 + 2] = 1.2;
  const camera = frontCamera(width, height, { distance: 3, fieldHeight: 2.1 });
  const renderer = createAvatarRenderer(device, avatar, { width, height });
  const texture = device.createTexture({ size: [width, height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
  const readback = device.createBuffer({ size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    renderer.encodeFrame(encoder, texture.createView(), 'rgba8unorm', { pose, camera, background: BACKGROUND });
    encoder.copyTextureToBuffer({ texture }, { buffer: readback, bytesPerRow }, [width, height]);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const bytes = new Uint8Array(readback.getMappedRange());
    const image = new ImageData(width, height);
    for (let y = 0; y < height; y++) image.data.set(bytes.subarray(y * bytesPerRow, y * bytesPerRow + width * 4), y * width * 4);
    readback.unmap();
    const { joints: world } = avatar.body.forward({ pose, betas: avatar.betas });
    const joints = new Float64Array(J * 2);
    const v = camera.view, K = camera.K;
    for (let j = 0; j < J; j++) {
      const [x, y, z] = [world[j * 3]!, world[j * 3 + 1]!, world[j * 3 + 2]!];
      const cx = v[0]! * x + v[4]! * y + v[8]! * z + v[12]!;
      const cy = v[1]! * x + v[5]! * y + v[9]! * z + v[13]!;
      const cz = v[2]! * x + v[6]! * y + v[10]! * z + v[14]!;
      joints[j * 2] = (K[0]! * cx) / cz + K[6]!;
      joints[j * 2 + 1] = (K[4]! * cy) / cz + K[7]!;
    }
    return { image, joints };
  } finally {
    texture.destroy();
    readback.destroy();
    renderer.destroy();
    avatar.body.dispose();
  }
}

/** A plain image with nothing in it (default 144×192). */
export function emptyImage(width = 144, height = 192): ImageData {
  const image = new ImageData(width, height);
  image.data.fill(Math.round(BACKGROUND[0]! * 255));
  return image;
}
