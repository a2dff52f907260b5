/**
 * Camera controls: drag (mouse, pen, one finger) orbits, the wheel and a two-finger pinch zoom,
 * and with focus the arrow keys orbit and + / − zoom. Updates go to the player at most once per
 * animation frame; the element stays focusable (tabindex 0 unless the page sets one).
 */
import type { Player } from '../../src/player/create-player.js';
import { MAX_ORBIT_ELEVATION, type Orbit } from '../../src/render/orbit-camera.js';
import { $onPlayerCreated, $player, $reportError, $start, $stop, type GaussianAvatarBase } from '../gaussian-avatar-base.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** Radians of azimuth per drag across the full width of the element. */
const DRAG_AZIMUTH = Math.PI;
/** Radians of elevation per drag across the full height. */
const DRAG_ELEVATION = Math.PI / 2;
/** Zoom per wheel pixel: radius × exp(deltaY · this). */
const WHEEL_ZOOM = 0.0015;
/** One arrow-key step (radians) and one +/− step (radius factor). */
const KEY_ANGLE = (10 * Math.PI) / 180;
const KEY_ZOOM = 1.1;
/** Distances kept within these factors of the framed distance. */
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 5;

export interface ControlsInterface {
  /** Orbits the camera by Δθ (radians, positive = towards the body's left) and Δφ (elevation, positive = higher) and scales the distance. */
  orbitBy(dTheta: number, dElevation: number, zoomFactor?: number): void;
}

export const ControlsMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<ControlsInterface> & T => {
  class ControlsElement extends Base {
    private orbit: Omit<Orbit, 'target'> | null = null;
    private framedRadius = 1;
    private frameScheduled = false;
    private readonly pointers = new Map<number, { x: number; y: number }>();

    override [$start](): void {
      super[$start]();
      if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
      this.addEventListener('pointerdown', this.onPointerDown);
      this.addEventListener('pointermove', this.onPointerMove);
      this.addEventListener('pointerup', this.onPointerUp);
      this.addEventListener('pointercancel', this.onPointerUp);
      this.addEventListener('wheel', this.onWheel, { passive: false });
      this.addEventListener('keydown', this.onKeyDown);
    }

    override [$stop](): void {
      super[$stop]();
      this.removeEventListener('pointerdown', this.onPointerDown);
      this.removeEventListener('pointermove', this.onPointerMove);
      this.removeEventListener('pointerup', this.onPointerUp);
      this.removeEventListener('pointercancel', this.onPointerUp);
      this.removeEventListener('wheel', this.onWheel);
      this.removeEventListener('keydown', this.onKeyDown);
      this.pointers.clear();
      this.orbit = null;
    }

    override [$onPlayerCreated](player: Player): void {
      super[$onPlayerCreated](player);
      this.framedRadius = player.orbit.radius;
      // Someone else (camera-orbit, automatic framing) moved the camera: continue from there.
      for (const type of ['orbitchange', 'resize', 'avatarchange', 'motionchange']) {
        player.addEventListener(type, () => {
          if (!this.frameScheduled && this.pointers.size === 0) this.orbit = null;
        });
      }
    }

    orbitBy(dTheta: number, dElevation: number, zoomFactor = 1): void {
      const player = this[$player];
      if (!player) return;
      const o = (this.orbit ??= { theta: player.orbit.theta, phi: player.orbit.phi, radius: player.orbit.radius });
      o.theta += dTheta;
      o.phi = Math.min(MAX_ORBIT_ELEVATION, Math.max(-MAX_ORBIT_ELEVATION, o.phi + dElevation));
      o.radius = Math.min(this.framedRadius * MAX_ZOOM, Math.max(this.framedRadius * MIN_ZOOM, o.radius * zoomFactor));
      if (this.frameScheduled) return;
      this.frameScheduled = true;
      requestAnimationFrame(() => {
        this.frameScheduled = false;
        const orbit = this.orbit;
        // θ, φ and distance only: the target stays as it is (following the motion, or camera-target's).
        if (orbit && this[$player] === player) player.setOrbit({ theta: orbit.theta, phi: orbit.phi, radius: orbit.radius }).catch((e) => this[$reportError](e));
      });
    }

    private readonly onPointerDown = (event: PointerEvent) => {
      if (!this[$player] || (event.pointerType === 'mouse' && event.button !== 0)) return;
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      try {
        this.setPointerCapture(event.pointerId); // keep the drag when the pointer leaves the box
      } catch {
        // not an active pointer (a synthetic event): the drag works while it stays inside
      }
      event.preventDefault();
      this.focus({ preventScroll: true });
    };

    private readonly onPointerMove = (event: PointerEvent) => {
      const last = this.pointers.get(event.pointerId);
      if (!last) return;
      const box = this.getBoundingClientRect();
      const now = { x: event.clientX, y: event.clientY };
      if (this.pointers.size === 1) {
        // Dragging right turns the body to its left: the camera moves the other way (−θ).
        this.orbitBy((-(now.x - last.x) / Math.max(1, box.width)) * DRAG_AZIMUTH, ((now.y - last.y) / Math.max(1, box.height)) * DRAG_ELEVATION);
      } else if (this.pointers.size === 2) {
        const other = [...this.pointers.entries()].find(([id]) => id !== event.pointerId)![1];
        const before = Math.hypot(last.x - other.x, last.y - other.y);
        const after = Math.hypot(now.x - other.x, now.y - other.y);
        if (before > 0 && after > 0) this.orbitBy(0, 0, before / after);
      }
      this.pointers.set(event.pointerId, now);
    };

    private readonly onPointerUp = (event: PointerEvent) => {
      this.pointers.delete(event.pointerId);
    };

    private readonly onWheel = (event: WheelEvent) => {
      if (!this[$player]) return;
      event.preventDefault();
      const pixels = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 16 : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? event.deltaY * 400 : event.deltaY;
      this.orbitBy(0, 0, Math.exp(pixels * WHEEL_ZOOM));
    };

    private readonly onKeyDown = (event: KeyboardEvent) => {
      const step: Record<string, [number, number, number]> = {
        ArrowLeft: [KEY_ANGLE, 0, 1],
        ArrowRight: [-KEY_ANGLE, 0, 1],
        ArrowUp: [0, KEY_ANGLE / 2, 1],
        ArrowDown: [0, -KEY_ANGLE / 2, 1],
        '+': [0, 0, 1 / KEY_ZOOM],
        '=': [0, 0, 1 / KEY_ZOOM],
        '-': [0, 0, KEY_ZOOM],
        '−': [0, 0, KEY_ZOOM],
        _: [0, 0, KEY_ZOOM],
      };
      const s = step[event.key];
      if (!s || !this[$player] || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      this.orbitBy(s[0], s[1], s[2]);
    };
  }
  return ControlsElement;
};
