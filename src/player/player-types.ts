/**
 * Types shared by the player's two halves: the core (runs in a worker or on the main thread) and
 * the `Player` handle the page holds. Everything here is structured-cloneable (it crosses the
 * worker boundary), except where an Avatar object is allowed (main thread only).
 */
import type { Avatar } from '../avatar/types.js';
import type { InputLimits } from '../io/input-limits.js';
import type { Motion } from '../motion/types.js';
import type { AvatarRenderPipeline } from '../render/avatar-renderer.js';
import type { Orbit } from '../render/orbit-camera.js';

/** An avatar to play: an Avatar object, or the bytes of a `.gavatar` file. */
export type PlayerAvatarInput = Avatar | ArrayBuffer | Uint8Array;

/**
 * An orbit to set (`setOrbit`): fields left out keep their values; θ, φ and the distance stay
 * framed automatically until given. `target`: a fixed point (3 numbers, metres), or `'auto'` to
 * follow the motion (the default: the smoothed path of the root, src/player/motion-framing.ts).
 */
export type OrbitInput = Partial<Omit<Orbit, 'target'>> & { target?: ArrayLike<number> | 'auto' };

/** Options of the core; see `PlayerOptions` in create-player.ts for what each means. */
export interface PlayerCoreOptions {
  avatar?: PlayerAvatarInput;
  motion?: Motion;
  autoplay?: boolean;
  loop?: boolean;
  playbackRate?: number;
  orbit?: Orbit;
  fovY?: number;
  background?: ArrayLike<number>;
  pipeline?: AvatarRenderPipeline;
  limits?: InputLimits;
}

/** A snapshot of the player's state, sent with every event and returned by every core call. */
export interface PlayerState {
  /** Increases with every snapshot, so a receiver keeps the newest when messages cross. */
  seq: number;
  /** Seconds into the motion, 0…duration. */
  currentTime: number;
  /** Length of the motion in seconds: frameCount / fps (each frame lasts 1/fps). */
  duration: number;
  paused: boolean;
  playbackRate: number;
  loop: boolean;
  /** Canvas backing size in pixels. */
  width: number;
  height: number;
  /** The orbit in use (framed automatically until `setOrbit` is called; the target follows the motion unless set). */
  orbit: { theta: number; phi: number; radius: number; target: [number, number, number] };
  /** Vertical field of view, radians. */
  fovY: number;
  /** Number of Gaussians drawn (0 before an avatar is loaded). */
  gaussianCount: number;
}

/** Names of the events a player fires. */
export type PlayerEventType =
  | 'play' | 'pause' | 'seeked' | 'timeupdate' | 'ended' | 'ratechange'
  | 'avatarchange' | 'motionchange' | 'orbitchange' | 'resize'
  | 'devicelost' | 'recovered' | 'error';

/** An error as it crosses the worker boundary: revived into the errors.ts class of that name. */
export interface SerializedError {
  name: string;
  message: string;
}

/** What the core reports for each event. */
export interface PlayerEventData {
  type: PlayerEventType;
  state: PlayerState;
  error?: SerializedError;
}

/** Pixels of the canvas as drawn: RGBA 8-bit, row-major, top row first (test hook). */
export interface CanvasPixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
