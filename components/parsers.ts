/**
 * Parsers for the `<gaussian-avatar>` attribute strings, kept out of the element so they can be
 * tested on their own. Each throws AvatarInputError naming the attribute and what it expected.
 *
 * camera-orbit="θ φ r" follows model-viewer: θ is the azimuth (0 = in front of the body, positive
 * towards the body's left, +x), φ is the polar angle from straight above (90deg = level with the
 * target), r the distance. Angles in `deg` or `rad` (a bare number is radians), the distance in
 * `m`, `cm`, `mm` (a bare number is metres) or `%` of the automatically framed distance. `auto`,
 * or a missing term, keeps the framed value.
 *
 * camera-target="x y z" (model-viewer's) is the point looked at, world metres (`m`, `cm`, `mm`;
 * a bare number is metres); `auto` (the default) follows the motion.
 */
import { AvatarInputError } from '../src/errors.js';
import { MAX_ORBIT_ELEVATION, type Orbit } from '../src/render/orbit-camera.js';

/** Fastest playback rate, as the player's (src/player/player-core.ts pulls in WGSL, which Node cannot import). */
export const MAX_PLAYBACK_RATE = 16;

/** A parsed camera-orbit; `null` terms are `auto`. */
export interface CameraOrbitSpec {
  /** Azimuth, radians. */
  theta: number | null;
  /** Polar angle from +y (straight above), radians. */
  phi: number | null;
  /** Distance: metres, or a percentage of the framed distance. */
  radius: { value: number; unit: 'm' | '%' } | null;
}

const ANGLE_UNITS: Record<string, number> = { '': 1, rad: 1, deg: Math.PI / 180 };
const LENGTH_UNITS: Record<string, number> = { '': 1, m: 1, cm: 0.01, mm: 0.001 };
const NUMBER_WITH_UNIT = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$/i;

function splitNumber(attribute: string, term: string): { value: number; unit: string } {
  const match = NUMBER_WITH_UNIT.exec(term);
  const value = match ? Number(match[1]) : NaN;
  if (!match || !Number.isFinite(value)) throw new AvatarInputError(`${attribute}: expected a number with a unit, got "${term}"`);
  return { value, unit: match[2].toLowerCase() };
}

function parseAngle(term: string, which: string): number | null {
  if (term === 'auto') return null;
  const { value, unit } = splitNumber('camera-orbit', term);
  const scale = ANGLE_UNITS[unit];
  if (scale === undefined) throw new AvatarInputError(`camera-orbit: expected ${which} in deg or rad (or auto), got "${term}"`);
  return value * scale;
}

function parseDistance(term: string): CameraOrbitSpec['radius'] {
  if (term === 'auto') return null;
  const { value, unit } = splitNumber('camera-orbit', term);
  if (!(value > 0)) throw new AvatarInputError(`camera-orbit: expected a distance > 0, got "${term}"`);
  if (unit === '%') return { value, unit: '%' };
  const scale = LENGTH_UNITS[unit];
  if (scale === undefined) throw new AvatarInputError(`camera-orbit: expected the distance in m, cm, mm or % (or auto), got "${term}"`);
  return { value: value * scale, unit: 'm' };
}

/** Parses `camera-orbit` ("30deg 75deg 2.5m"; up to three whitespace-separated terms; empty = all auto). */
export function parseCameraOrbit(text: string | null | undefined): CameraOrbitSpec {
  const terms = (text ?? '').trim().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length > 3) throw new AvatarInputError(`camera-orbit: expected at most 3 terms (azimuth, polar angle, distance), got ${terms.length} in "${text}"`);
  return {
    theta: terms[0] === undefined ? null : parseAngle(terms[0], 'the azimuth'),
    phi: terms[1] === undefined ? null : parseAngle(terms[1], 'the polar angle'),
    radius: terms[2] === undefined ? null : parseDistance(terms[2]),
  };
}

/**
 * The player's θ, φ and distance for `spec`, with `auto` terms taken from `framed` (the automatic
 * framing); the target is camera-target's business. The polar angle φ becomes the player's
 * elevation π/2 − φ, kept inside ±MAX_ORBIT_ELEVATION.
 */
export function resolveCameraOrbit(spec: CameraOrbitSpec, framed: Omit<Orbit, 'target'>): Omit<Orbit, 'target'> {
  const elevation = spec.phi === null ? framed.phi : Math.PI / 2 - spec.phi;
  let radius = framed.radius;
  if (spec.radius) radius = spec.radius.unit === '%' ? (framed.radius * spec.radius.value) / 100 : spec.radius.value;
  return {
    theta: spec.theta ?? framed.theta,
    phi: Math.min(MAX_ORBIT_ELEVATION, Math.max(-MAX_ORBIT_ELEVATION, elevation)),
    radius,
  };
}

/** Parses `camera-target`: `auto` (or empty: follow the motion) or "x y z" lengths in m, cm, mm (bare: m). */
export function parseCameraTarget(text: string | null | undefined): 'auto' | [number, number, number] {
  const terms = (text ?? '').trim().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0 || (terms.length === 1 && terms[0].toLowerCase() === 'auto')) return 'auto';
  if (terms.length !== 3) throw new AvatarInputError(`camera-target: expected auto or 3 lengths "x y z" (e.g. "0m 1m 0m"), got "${text}"`);
  const point = terms.map((term) => {
    const { value, unit } = splitNumber('camera-target', term);
    const scale = LENGTH_UNITS[unit];
    if (scale === undefined) throw new AvatarInputError(`camera-target: expected lengths in m, cm or mm, got "${term}"`);
    return value * scale;
  });
  return [point[0], point[1], point[2]];
}

/** A parsed background: RGB 0…1 and whether it is `transparent`. */
export interface BackgroundSpec {
  rgb: [number, number, number];
  transparent: boolean;
}

const NAMED_COLORS: Record<string, [number, number, number]> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  silver: [192, 192, 192],
  red: [255, 0, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
};

function channel(term: string, text: string): number {
  const { value, unit } = splitNumber('background', term);
  if (unit === '%') {
    if (value < 0 || value > 100) throw new AvatarInputError(`background: expected rgb() percentages in 0…100, got "${text}"`);
    return value / 100;
  }
  if (unit !== '' || value < 0 || value > 255) throw new AvatarInputError(`background: expected rgb() channels in 0…255 or 0%…100%, got "${text}"`);
  return value / 255;
}

/**
 * Parses `background`: `#rgb`, `#rrggbb`, `rgb(r, g, b)` / `rgb(r g b)` (0…255 or percentages),
 * black, white, gray/grey, silver, red, green, blue, or `transparent` (rgb black).
 */
export function parseBackground(text: string | null | undefined): BackgroundSpec {
  const s = (text ?? '').trim().toLowerCase();
  if (s === 'transparent') return { rgb: [0, 0, 0], transparent: true };
  const named = NAMED_COLORS[s];
  if (named) return { rgb: [named[0] / 255, named[1] / 255, named[2] / 255], transparent: false };
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d) : [hex[1].slice(0, 2), hex[1].slice(2, 4), hex[1].slice(4, 6)];
    const [r, g, b] = digits.map((d) => parseInt(d, 16) / 255);
    return { rgb: [r, g, b], transparent: false };
  }
  const fn = /^rgb\(\s*([^)]*?)\s*\)$/.exec(s);
  if (fn) {
    const terms = fn[1].split(/\s*,\s*|\s+/);
    if (terms.length !== 3) throw new AvatarInputError(`background: expected rgb() with 3 channels, got "${text}"`);
    const [r, g, b] = terms.map((t) => channel(t, String(text)));
    return { rgb: [r, g, b], transparent: false };
  }
  throw new AvatarInputError(`background: expected #rgb, #rrggbb, rgb(r, g, b), a colour name (black, white, gray, silver, red, green, blue) or transparent, got "${text}"`);
}

/** Parses `playback-rate`: a plain number in 0…16 (1 = real time). */
export function parsePlaybackRate(text: string | null | undefined): number {
  const s = (text ?? '').trim();
  const value = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
  if (!(value >= 0 && value <= MAX_PLAYBACK_RATE)) throw new AvatarInputError(`playback-rate: expected a number in 0…${MAX_PLAYBACK_RATE}, got "${text}"`);
  return value;
}
