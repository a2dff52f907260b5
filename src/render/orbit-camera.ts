/**
 * An orbit camera for playback: a point on a sphere around `target`, looking at it, with the
 * world's y axis up on screen. Produces the rasterizer's camera (OpenCV: x right, y down,
 * z forward; K 3×3 and world→camera 4×4, both column-major).
 *
 * Angles: θ (theta) is the azimuth about the world y axis, 0 = the camera on the +z side (the
 * body faces +z, so θ = 0 sees it from the front), positive θ moves the camera towards +x;
 * φ (phi) is the elevation above the horizontal plane through the target, positive = looking
 * down on it, kept inside (−π/2, π/2) so "up" stays defined.
 */
import { AvatarInputError, describeValue } from '../errors.js';
import type { SplatCamera } from './raster-types.js';

export interface Orbit {
  /** Azimuth about world y, radians; 0 = camera on +z looking towards −z. */
  theta: number;
  /** Elevation, radians, in (−π/2, π/2); positive = camera above the target. */
  phi: number;
  /** Distance from the target, metres (> 0). */
  radius: number;
  /** The point looked at, world metres (3 numbers). */
  target: ArrayLike<number>;
}

/** Largest |φ|: just short of the poles, where the view's up vector is undefined. */
export const MAX_ORBIT_ELEVATION = Math.PI / 2 - 1e-3;

/** Default vertical field of view, radians (35°: a portrait lens, little perspective distortion). */
export const DEFAULT_FOV_Y = (35 * Math.PI) / 180;

/** Camera position in world metres for `orbit` (3 numbers). */
export function orbitEye(orbit: Orbit): [number, number, number] {
  const o = checkOrbit(orbit);
  const c = Math.cos(o.phi);
  return [o.target[0] + o.radius * c * Math.sin(o.theta), o.target[1] + o.radius * Math.sin(o.phi), o.target[2] + o.radius * c * Math.cos(o.theta)];
}

/**
 * The rasterizer camera for `orbit` on a `width`×`height` pixel image with vertical field of view
 * `fovY` (radians, 0…π exclusive). Square pixels, principal point at the image centre:
 *   K = [f, 0, 0,  0, f, 0,  w/2, h/2, 1] (column-major), f = (h/2) / tan(fovY/2);
 *   view = [R | −R·eye] with rows of R = right, down, forward (column-major 4×4).
 * `near` is passed through to the rasterizer (default 0.05 m).
 */
export function orbitCamera(orbit: Orbit, width: number, height: number, fovY = DEFAULT_FOV_Y, near = 0.05): SplatCamera {
  for (const [field, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new AvatarInputError(`${field}: expected a positive integer (pixels), got ${describeValue(v)}`);
  }
  if (typeof fovY !== 'number' || !(fovY > 0 && fovY < Math.PI)) {
    throw new AvatarInputError(`fovY: expected radians in (0, π), got ${describeValue(fovY)}`);
  }
  const o = checkOrbit(orbit);
  const eye = orbitEye(o);
  const target = o.target;
  const forward = normalize([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]]);
  // right = forward × world-up; down = forward × right (so right × down = forward: a right-handed OpenCV frame).
  const right = normalize(cross(forward, [0, 1, 0]));
  const down = cross(forward, right);
  const view = new Float32Array(16);
  const rows = [right, down, forward];
  for (let r = 0; r < 3; r++) {
    const row = rows[r];
    view[r] = row[0];
    view[4 + r] = row[1];
    view[8 + r] = row[2];
    view[12 + r] = -(row[0] * eye[0] + row[1] * eye[1] + row[2] * eye[2]);
  }
  view[15] = 1;
  const f = height / 2 / Math.tan(fovY / 2);
  const K = new Float32Array([f, 0, 0, 0, f, 0, width / 2, height / 2, 1]);
  return { width, height, K, view, near };
}

/**
 * An orbit at angles θ, φ that frames an axis-aligned box (`min`, `max`: 3 numbers each, world
 * metres) in an image of aspect `width / height`: the target is the box centre and the radius
 * makes the box's bounding sphere fit the narrower field of view with `margin` (fraction, default 0.08) to spare.
 */
export function frameBox(min: ArrayLike<number>, max: ArrayLike<number>, aspect: number, fovY = DEFAULT_FOV_Y, theta = 0, phi = 0, margin = 0.08): Orbit {
  const centre = [0, 1, 2].map((k) => (min[k] + max[k]) / 2);
  const halfDiag = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2;
  if (!centre.every(Number.isFinite) || !Number.isFinite(halfDiag)) {
    throw new AvatarInputError(`min/max: expected 3 finite numbers each, got ${describeValue(min)} and ${describeValue(max)}`);
  }
  if (typeof aspect !== 'number' || !(aspect > 0) || !Number.isFinite(aspect)) {
    throw new AvatarInputError(`aspect: expected a positive number, got ${describeValue(aspect)}`);
  }
  const halfY = fovY / 2;
  const halfX = Math.atan(Math.tan(halfY) * aspect);
  const half = Math.min(halfX, halfY) * (1 - margin);
  return { theta, phi, radius: Math.max(halfDiag / Math.sin(half), 1e-3), target: centre };
}

/** Validates an orbit and returns it with numbers checked (φ clamped to ±MAX_ORBIT_ELEVATION). */
export function checkOrbit(orbit: Orbit): Orbit & { target: [number, number, number] } {
  if (orbit === null || typeof orbit !== 'object') {
    throw new AvatarInputError(`orbit: expected { theta, phi, radius, target }, got ${describeValue(orbit)}`);
  }
  for (const field of ['theta', 'phi', 'radius'] as const) {
    const v = orbit[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new AvatarInputError(`orbit.${field}: expected a finite number, got ${describeValue(v)}`);
  }
  if (!(orbit.radius > 0)) throw new AvatarInputError(`orbit.radius: expected metres > 0, got ${describeValue(orbit.radius)}`);
  const t = orbit.target;
  if (t === null || typeof t !== 'object' || t.length !== 3 || !Number.isFinite(t[0]) || !Number.isFinite(t[1]) || !Number.isFinite(t[2])) {
    throw new AvatarInputError(`orbit.target: expected 3 finite numbers (metres), got ${describeValue(t)}`);
  }
  const phi = Math.min(MAX_ORBIT_ELEVATION, Math.max(-MAX_ORBIT_ELEVATION, orbit.phi));
  return { theta: orbit.theta, phi, radius: orbit.radius, target: [t[0], t[1], t[2]] };
}

function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}
