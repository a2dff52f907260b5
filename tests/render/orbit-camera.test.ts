// Orbit camera: the view against gl-matrix's lookAt (OpenGL axes) flipped to OpenCV axes, the
// screen directions of world up/left/right, the field of view, box framing and typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mat4, vec3 } from 'gl-matrix';
import { AvatarInputError } from '../../src/errors.js';
import { frameBox, orbitCamera, orbitEye, type Orbit } from '../../src/render/orbit-camera.js';
import type { SplatCamera } from '../../src/render/raster-types.js';

/** Pixel (u, v) and depth z of world point p through the camera (column-major K and view). */
function project(camera: SplatCamera, p: number[]): [number, number, number] {
  const v = camera.view;
  const x = v[0] * p[0] + v[4] * p[1] + v[8] * p[2] + v[12];
  const y = v[1] * p[0] + v[5] * p[1] + v[9] * p[2] + v[13];
  const z = v[2] * p[0] + v[6] * p[1] + v[10] * p[2] + v[14];
  const K = camera.K;
  return [(K[0] * x) / z + K[6], (K[4] * y) / z + K[7], z];
}

const ORBITS: Orbit[] = [
  { theta: 0, phi: 0, radius: 3, target: [0, 0, 0] },
  { theta: 0.7, phi: 0.3, radius: 2.2, target: [0.1, -0.3, 0.5] },
  { theta: -2.5, phi: -0.6, radius: 5, target: [1, 2, -3] },
  { theta: Math.PI, phi: 1.2, radius: 1, target: [0, 0.9, 0] },
];

test('view equals gl-matrix lookAt with y and z flipped (OpenGL → OpenCV)', () => {
  for (const orbit of ORBITS) {
    const camera = orbitCamera(orbit, 96, 128);
    const eye = orbitEye(orbit);
    const gl = mat4.lookAt(mat4.create(), vec3.fromValues(eye[0], eye[1], eye[2]), vec3.fromValues(orbit.target[0], orbit.target[1], orbit.target[2]), [0, 1, 0]);
    const flip = mat4.fromScaling(mat4.create(), [1, -1, -1]);
    const expected = mat4.multiply(mat4.create(), flip, gl);
    for (let k = 0; k < 16; k++) assert.ok(Math.abs(camera.view[k] - expected[k]) < 1e-5, `view[${k}] ${camera.view[k]} vs ${expected[k]} for ${JSON.stringify(orbit)}`);
  }
});

test('the target is at the image centre, radius metres in front; the eye is radius from the target', () => {
  for (const orbit of ORBITS) {
    const camera = orbitCamera(orbit, 96, 128);
    const [u, v, z] = project(camera, Array.from(orbit.target));
    assert.ok(Math.abs(u - 48) < 1e-4 && Math.abs(v - 64) < 1e-4, `target at (${u}, ${v})`);
    assert.ok(Math.abs(z - orbit.radius) < 1e-5, `target depth ${z}`);
    const eye = orbitEye(orbit);
    assert.ok(Math.abs(Math.hypot(eye[0] - orbit.target[0], eye[1] - orbit.target[1], eye[2] - orbit.target[2]) - orbit.radius) < 1e-9);
  }
});

test('world up is up on screen (smaller v) from every orbit; the rotation is proper', () => {
  for (const orbit of ORBITS) {
    const camera = orbitCamera(orbit, 96, 128);
    const t = Array.from(orbit.target);
    const [, vAbove] = project(camera, [t[0], t[1] + 0.1, t[2]]);
    const [, vBelow] = project(camera, [t[0], t[1] - 0.1, t[2]]);
    assert.ok(vAbove < 64 && vBelow > 64, `above at v=${vAbove}, below at v=${vBelow}`);
    const m = camera.view;
    const det = m[0] * (m[5] * m[10] - m[9] * m[6]) - m[4] * (m[1] * m[10] - m[9] * m[2]) + m[8] * (m[1] * m[6] - m[5] * m[2]);
    assert.ok(Math.abs(det - 1) < 1e-5, `det R = ${det}`);
  }
});

test('θ = 0 looks at the body from the front: its left (+x) is on the right of the image; θ = π/2 sees +z on the left', () => {
  const front = orbitCamera({ theta: 0, phi: 0, radius: 3, target: [0, 0, 0] }, 96, 128);
  assert.ok(project(front, [0.2, 0, 0])[0] > 48);
  assert.ok(project(front, [-0.2, 0, 0])[0] < 48);
  assert.ok(project(front, [0, 0, 1])[2] < 3, 'the body front (+z) is nearer than the target');
  const side = orbitCamera({ theta: Math.PI / 2, phi: 0, radius: 3, target: [0, 0, 0] }, 96, 128);
  assert.ok(project(side, [0, 0, 0.2])[0] < 48);
  const above = orbitCamera({ theta: 0, phi: 0.5, radius: 3, target: [0, 0, 0] }, 96, 128);
  assert.ok(orbitEye({ theta: 0, phi: 0.5, radius: 3, target: [0, 0, 0] })[1] > 0);
  assert.ok(project(above, [0, 0, 0.3])[1] > 64, 'seen from above, a point towards the camera lies below the centre');
});

test('the vertical field of view maps to the image height; pixels are square', () => {
  const fov = 0.8;
  for (const [w, h] of [[96, 128], [1920, 1080]]) {
    const camera = orbitCamera({ theta: 0, phi: 0, radius: 4, target: [0, 0, 0] }, w, h, fov);
    // A point at the top edge of the field of view, at the target's depth.
    const edge = 4 * Math.tan(fov / 2);
    const [, vTop] = project(camera, [0, edge, 0]);
    assert.ok(Math.abs(vTop) < 1e-3, `top edge at v=${vTop}`);
    const [uRight] = project(camera, [edge, 0, 0]);
    assert.ok(Math.abs(uRight - (w / 2 + h / 2)) < 1e-3, `square pixels: u=${uRight}`);
    assert.equal(camera.K[1], 0);
    assert.equal(camera.K[3], 0);
    assert.equal(camera.K[8], 1);
  }
});

test('frameBox keeps all eight corners of the box inside the image for any aspect and angle', () => {
  const min = [-0.9, -1.2, -0.2];
  const max = [0.9, 0.6, 0.3];
  for (const [w, h] of [[96, 128], [1280, 720], [50, 400]]) {
    for (const [theta, phi] of [[0, 0], [1, 0.4], [3, -0.7]]) {
      const orbit = frameBox(min, max, w / h, undefined, theta, phi);
      const camera = orbitCamera(orbit, w, h);
      let maxU = -Infinity;
      let minU = Infinity;
      for (let c = 0; c < 8; c++) {
        const p = [c & 1 ? max[0] : min[0], c & 2 ? max[1] : min[1], c & 4 ? max[2] : min[2]];
        const [u, v, z] = project(camera, p);
        assert.ok(z > 0 && u >= 0 && u <= w && v >= 0 && v <= h, `corner ${c} at (${u}, ${v}, ${z}) in ${w}×${h}`);
        maxU = Math.max(maxU, u);
        minU = Math.min(minU, u);
      }
      assert.ok(maxU - minU > 0.2 * w, 'the box is not framed absurdly small');
    }
  }
});

test('bad orbits and sizes give AvatarInputError naming the field', () => {
  const good: Orbit = { theta: 0, phi: 0, radius: 3, target: [0, 0, 0] };
  const cases: [() => unknown, RegExp][] = [
    [() => orbitCamera(null as unknown as Orbit, 8, 8), /^orbit:/],
    [() => orbitCamera({ ...good, theta: NaN }, 8, 8), /^orbit\.theta:/],
    [() => orbitCamera({ ...good, phi: Infinity }, 8, 8), /^orbit\.phi:/],
    [() => orbitCamera({ ...good, radius: 0 }, 8, 8), /^orbit\.radius:/],
    [() => orbitCamera({ ...good, target: [0, 0] }, 8, 8), /^orbit\.target:/],
    [() => orbitCamera({ ...good, target: [0, NaN, 0] }, 8, 8), /^orbit\.target:/],
    [() => orbitCamera(good, 0, 8), /^width:/],
    [() => orbitCamera(good, 8, 2.5), /^height:/],
    [() => orbitCamera(good, 8, 8, Math.PI), /^fovY:/],
    [() => frameBox([0, 0, 0], [1, NaN, 1], 1), /^min\/max:/],
    [() => frameBox([0, 0, 0], [1, 1, 1], -1), /^aspect:/],
  ];
  for (const [call, message] of cases) assert.throws(call, (e: unknown) => e instanceof AvatarInputError && message.test(e.message));
});

test('elevation is clamped short of the poles so the view stays defined', () => {
  const camera = orbitCamera({ theta: 0.3, phi: Math.PI / 2, radius: 2, target: [0, 0, 0] }, 8, 8);
  assert.ok(Array.from(camera.view).every(Number.isFinite));
});
