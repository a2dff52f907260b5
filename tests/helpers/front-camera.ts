// A pinhole camera looking at the default body (pelvis at the origin, 1.66 m tall, facing +z)
// from in front, for the trainer's tests and benchmark. OpenCV axes, column-major matrices.

export interface TestCamera {
  width: number;
  height: number;
  /** 3×3 column-major [fx, 0, 0, 0, fy, 0, cx, cy, 1]. */
  K: Float32Array;
  /** 4×4 column-major world→camera. */
  view: Float32Array;
}

/**
 * Camera at (0, centreY, distance) (world, y up) looking along −z at the body, with a focal
 * length that fits `fieldHeight` metres into the image height, rotated by `yaw` radians about the
 * world y axis through the origin (0 = in front of the body).
 */
export function frontCamera(width: number, height: number, options: { distance?: number; centreY?: number; fieldHeight?: number; yaw?: number } = {}): TestCamera {
  const distance = options.distance ?? 3;
  const centreY = options.centreY ?? -0.05;
  const fieldHeight = options.fieldHeight ?? 1.9;
  const yaw = options.yaw ?? 0;
  const f = (height * distance) / fieldHeight;
  const K = new Float32Array([f, 0, 0, 0, f, 0, width / 2, height / 2, 1]);
  // World→camera: camera x = world x, camera y = −world y, camera z = −world z for yaw 0;
  // yaw turns the camera about world y (the world is turned by −yaw).
  const c = Math.cos(yaw), s = Math.sin(yaw);
  // Rows of R: r0 = (c, 0, −s), r1 = (0, −1, 0), r2 = (−s, 0, −c)  (R = diag(1,−1,−1)·Ry(−yaw))
  const view = new Float32Array([
    c, 0, -s, 0,
    0, -1, 0, 0,
    -s, 0, -c, 0,
    0, centreY, distance, 1,
  ]);
  return { width, height, K, view };
}

/** World points (n×3) through a column-major 4×4 world→camera matrix: camera-frame points (n×3, OpenCV axes). */
export function toCamera(points: Float32Array, view: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  for (let j = 0; j < points.length / 3; j++) {
    const [x, y, z] = [points[3 * j]!, points[3 * j + 1]!, points[3 * j + 2]!];
    for (let r = 0; r < 3; r++) out[3 * j + r] = view[r]! * x + view[4 + r]! * y + view[8 + r]! * z + view[12 + r]!;
  }
  return out;
}
