// Test images for the pose stage: the default avatar rendered by the SDK (createDefaultAvatar +
// renderAvatarImage) from the front, arms lowered to an A-pose, on a plain background — something
// a person detector recognises — and the projected 2D positions of the body's joints in that
// image, to compare MediaPipe's keypoints with.
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { renderAvatarImage } from '../../src/render/render-avatar-image.js';
import { frontCamera, toCamera } from '../helpers/front-camera.js';
import { getTestDevice } from '../helpers/gpu-device.js';

/** Light grey, like a plain wall (sRGB, as displayed). */
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
  try {
    const image = await renderAvatarImage(avatar, { pose, camera, background: BACKGROUND, device });
    const local = toCamera(avatar.body.forward({ pose, betas: avatar.betas }).joints, camera.view);
    const joints = new Float64Array(J * 2);
    const K = camera.K;
    for (let j = 0; j < J; j++) {
      const [cx, cy, cz] = [local[j * 3]!, local[j * 3 + 1]!, local[j * 3 + 2]!];
      joints[j * 2] = (K[0]! * cx) / cz + K[6]!;
      joints[j * 2 + 1] = (K[4]! * cy) / cz + K[7]!;
    }
    return { image, joints };
  } finally {
    avatar.body.dispose();
  }
}

/** A plain image with nothing in it (default 144×192). */
export function emptyImage(width = 144, height = 192): ImageData {
  const image = new ImageData(width, height);
  image.data.fill(Math.round(BACKGROUND[0]! * 255));
  return image;
}
