import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { buildUvPositionalMap, type UvGaussians } from '../../src/avatar/uv-positional-map.js';
import { srgbToLinear } from '../../src/color/srgb.js';
import { AvatarInputError } from '../../src/errors.js';
import { projectAppearance, type ProjectionFrame } from '../../src/fit/project-appearance.js';
import { pointPositions } from '../../src/fit/surface-normals.js';
import { frontCamera, toCamera, type TestCamera } from '../helpers/front-camera.js';

const W = 96, H = 128;

/** An sRGB image whose every pixel is paint(x, y) (pixel centre coordinates), as a plain ImageData-shaped object. */
function paintedImage(paint: (x: number, y: number) => [number, number, number]): ImageData {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const [r, g, b] = paint(x + 0.5, y + 0.5);
      data.set([Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), 255], (y * W + x) * 4);
    }
  }
  return { width: W, height: H, data, colorSpace: 'srgb' } as ImageData;
}

/** A smooth sRGB ramp over the image: where a Gaussian lands decides its colour. */
const ramp = (x: number, y: number): [number, number, number] => [x / W, y / H, 0.5];

/** Pixel coordinates of world points through `camera`. */
function project(points: Float32Array, camera: TestCamera): Float32Array {
  const cam = toCamera(points, camera.view);
  const out = new Float32Array((cam.length / 3) * 2);
  for (let i = 0; i < cam.length / 3; i++) {
    out[2 * i] = (camera.K[0]! * cam[3 * i]!) / cam[3 * i + 2]! + camera.K[6]!;
    out[2 * i + 1] = (camera.K[4]! * cam[3 * i + 1]!) / cam[3 * i + 2]! + camera.K[7]!;
  }
  return out;
}

describe('projectAppearance', () => {
  let body: BodyModel;
  let map: UvGaussians;
  const betas = new Float32Array(10);
  const rest = () => new Float32Array(72);
  const camera = frontCamera(W, H);

  before(async () => {
    body = await createDefaultBody();
    map = buildUvPositionalMap(body, { resolution: 48, betas });
  });
  after(() => body.dispose());

  function frame(image: ImageData, pose = rest(), mask?: Uint8Array): ProjectionFrame {
    return { image, pose, trans: [0, 0, 0], ...(mask ? { mask } : {}) };
  }

  it('gives each seen Gaussian the (linear) colour of the pixel it projects to', () => {
    const out = projectAppearance({ body, betas, points: map, camera, frames: [frame(paintedImage(ramp))] });
    const posed = body.forward({ pose: rest(), betas }).vertices;
    const uv = project(pointPositions(map, posed, body.faces), camera);
    let seen = 0, worst = 0;
    for (let i = 0; i < map.count; i++) {
      if (!out.seen[i]) continue;
      seen++;
      const [r, g, b] = ramp(uv[2 * i]!, uv[2 * i + 1]!);
      // The ramp is quantised to 8 bits: ±0.5 level, plus bilinear sampling over a curved transfer function.
      for (const [got, want] of [[out.colors[3 * i]!, srgbToLinear(r)], [out.colors[3 * i + 1]!, srgbToLinear(g)], [out.colors[3 * i + 2]!, srgbToLinear(b)]] as const) {
        worst = Math.max(worst, Math.abs(got - want));
      }
    }
    assert.ok(seen > map.count * 0.2, `seen ${seen} of ${map.count}`);
    assert.ok(worst < 0.01, `worst colour error ${worst}`);
  });

  it('does not see the back from the front, and sees it from behind', () => {
    const image = paintedImage(() => [0.8, 0.2, 0.2]);
    const front = projectAppearance({ body, betas, points: map, camera, frames: [frame(image)] });
    const back = projectAppearance({ body, betas, points: map, camera: frontCamera(W, H, { yaw: Math.PI }), frames: [frame(image)] });
    // Torso Gaussians clearly on the front (z > 0.05) and the back (z < −0.05) of the canonical body.
    let frontSeen = 0, frontTotal = 0, backSeenFromFront = 0, backSeenFromBehind = 0, backTotal = 0;
    for (let i = 0; i < map.count; i++) {
      const [x, y, z] = [map.positions[3 * i]!, map.positions[3 * i + 1]!, map.positions[3 * i + 2]!];
      if (Math.abs(x) > 0.12 || y < 0.05 || y > 0.35) continue;
      if (z > 0.05) {
        frontTotal++;
        frontSeen += front.seen[i]!;
      } else if (z < -0.05) {
        backTotal++;
        backSeenFromFront += front.seen[i]!;
        backSeenFromBehind += back.seen[i]!;
      }
    }
    assert.ok(frontTotal > 20 && backTotal > 10, `${frontTotal} front, ${backTotal} back torso Gaussians`);
    assert.ok(frontSeen / frontTotal > 0.8, `front ${frontSeen}/${frontTotal}`);
    assert.equal(backSeenFromFront, 0);
    assert.ok(backSeenFromBehind / backTotal > 0.8, `back from behind ${backSeenFromBehind}/${backTotal}`);
  });

  it('does not see the flank behind the arm hanging beside it (z-buffer)', () => {
    const image = paintedImage(() => [0.5, 0.5, 0.5]);
    const armDown = rest();
    armDown[16 * 3 + 2] = -Math.PI / 2; // left shoulder: the arm turns from +x down to −y, beside the torso
    const side = frontCamera(W, H, { yaw: Math.PI / 2 }); // on the body's left (+x), looking at its flank
    const tPose = projectAppearance({ body, betas, points: map, camera: side, frames: [frame(image)] });
    const hanging = projectAppearance({ body, betas, points: map, camera: side, frames: [frame(image, armDown)] });
    // Flank Gaussians under the armpit, facing the camera: seen unless the arm hides them.
    let flank = 0, seenInTPose = 0, seenBehindArm = 0;
    for (let i = 0; i < map.count; i++) {
      const [x, y, z] = [map.positions[3 * i]!, map.positions[3 * i + 1]!, map.positions[3 * i + 2]!];
      if (!(x > 0.08 && x < 0.25 && Math.abs(z) < 0.03 && y > 0.05 && y < 0.3)) continue;
      flank++;
      seenInTPose += tPose.seen[i]!;
      seenBehindArm += hanging.seen[i]!;
    }
    assert.ok(flank >= 5, `${flank} flank Gaussians`);
    assert.ok(seenInTPose >= 0.8 * flank, `T-pose: ${seenInTPose} of ${flank} seen`);
    assert.ok(seenBehindArm <= 0.2 * flank, `arm down: ${seenBehindArm} of ${flank} seen`);
  });

  it('takes no colour where the mask says background, and less near its edge', () => {
    const image = paintedImage(ramp);
    const mask = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = W / 2; x < W; x++) mask[y * W + x] = 255; // person on the right half only
    const out = projectAppearance({ body, betas, points: map, camera, frames: [frame(image, rest(), mask)] });
    const open = projectAppearance({ body, betas, points: map, camera, frames: [frame(image)] });
    const uv = project(pointPositions(map, body.forward({ pose: rest(), betas }).vertices, body.faces), camera);
    let left = 0, rightSeen = 0, nearEdge = 0, edgeWeight = 0, openWeight = 0;
    for (let i = 0; i < map.count; i++) {
      const u = uv[2 * i]!;
      if (u < W / 2) left += out.views[i]!;
      else rightSeen += out.seen[i]!;
      if (u > W / 2 && u < W / 2 + 1.5) {
        nearEdge++;
        edgeWeight += out.weights[i]!;
        openWeight += open.weights[i]!;
      }
    }
    assert.equal(left, 0, 'observations left of the mask');
    assert.ok(rightSeen > 50);
    assert.ok(nearEdge > 5 && edgeWeight < 0.6 * openWeight, `next to the mask edge: weight ${edgeWeight} vs ${openWeight} without the mask`);
  });

  it('is robust to a minority of frames that disagree', () => {
    const grey = paintedImage(() => [0.45, 0.45, 0.45]);
    const white = paintedImage(() => [1, 1, 1]);
    const out = projectAppearance({ body, betas, points: map, camera, frames: [frame(grey), frame(grey), frame(white)] });
    const g = srgbToLinear(0.45);
    const plainMean = (2 * g + 1) / 3;
    let worst = 0;
    for (let i = 0; i < map.count; i++) if (out.seen[i]) worst = Math.max(worst, Math.abs(out.colors[3 * i]! - g));
    assert.ok(worst < 0.25 * (plainMean - g), `worst ${worst} vs the plain mean's ${plainMean - g}`);
  });

  it('rejects frames that do not fit the camera, naming the field', () => {
    const small = { width: 4, height: 4, data: new Uint8ClampedArray(64) } as ImageData;
    assert.throws(() => projectAppearance({ body, betas, points: map, camera, frames: [frame(small)] }), (e: unknown) => e instanceof AvatarInputError && /frames\[0\]\.image/.test(e.message));
    assert.throws(() => projectAppearance({ body, betas, points: map, camera, frames: [frame(paintedImage(ramp), rest(), new Uint8Array(7))] }), (e: unknown) => e instanceof AvatarInputError && /frames\[0\]\.mask/.test(e.message));
    assert.throws(() => projectAppearance({ body, betas, points: map, camera: { ...camera, K: new Float32Array(4) }, frames: [] }), (e: unknown) => e instanceof AvatarInputError && /camera\.K/.test(e.message));
  });
});
