/**
 * Staging: the `camera-orbit`, `camera-target` and `background` attributes (components/parsers.ts), and the
 * image size: the canvas follows the element's box at devicePixelRatio (ResizeObserver, plus a
 * media query for zoom / moving to another screen).
 */
import { property } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { Player, PlayerOptions } from '../../src/player/create-player.js';
import { DEFAULT_BACKGROUND } from '../../src/player/player-core.js';
import type { Orbit } from '../../src/render/orbit-camera.js';
import {
  $boxSize, $onPlayerCreated, $player, $playerOptions, $reportError, $start, $stop, type GaussianAvatarBase,
} from '../gaussian-avatar-base.js';
import { parseBackground, parseCameraOrbit, parseCameraTarget, resolveCameraOrbit, type CameraOrbitSpec } from '../parsers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/** The orbit the player framed by itself; controls and camera-orbit start from it. */
export const $framedOrbit = Symbol('framedOrbit');

export interface StagingInterface {
  cameraOrbit: string | null;
  cameraTarget: string | null;
  background: string | null;
  readonly [$framedOrbit]: Orbit | null;
}

export const StagingMixin = <T extends Constructor<GaussianAvatarBase>>(Base: T): Constructor<StagingInterface> & T => {
  class StagingElement extends Base {
    /** "θ φ r", e.g. "30deg 75deg 2.5m" (see components/parsers.ts); none = framed automatically from the front. */
    @property({ attribute: 'camera-orbit', reflect: true }) cameraOrbit: string | null = null;
    /** "x y z" in m/cm/mm, the point looked at; none or `auto` = follows the motion (the smoothed path of its root). */
    @property({ attribute: 'camera-target', reflect: true }) cameraTarget: string | null = null;
    /** Background colour: #rgb, #rrggbb, rgb(), a few names, or transparent (the colour behind the element). */
    @property({ reflect: true }) background: string | null = null;

    [$framedOrbit]: Orbit | null = null;
    private resizeObserver: ResizeObserver | null = null;
    private dprQuery: MediaQueryList | null = null;
    private readonly onDprChange = () => this.watchDevicePixelRatio();

    override [$start](): void {
      super[$start]();
      this.resizeObserver = new ResizeObserver(() => this.applySize());
      this.resizeObserver.observe(this);
      this.watchDevicePixelRatio();
    }

    override [$stop](): void {
      super[$stop]();
      this.resizeObserver?.disconnect();
      this.resizeObserver = null;
      this.dprQuery?.removeEventListener('change', this.onDprChange);
      this.dprQuery = null;
      this[$framedOrbit] = null;
    }

    override [$playerOptions](): PlayerOptions {
      const options = super[$playerOptions]();
      const background = this.backgroundRgb();
      if (background) options.background = background;
      return options;
    }

    override [$onPlayerCreated](player: Player): void {
      super[$onPlayerCreated](player);
      this[$framedOrbit] = cloneOrbit(player.orbit);
      // The automatic framing changes with the image aspect and the avatar until an orbit is set.
      for (const type of ['resize', 'avatarchange', 'motionchange']) {
        player.addEventListener(type, () => {
          if (this[$player] === player && !this.cameraOrbit && !userMoved.has(player)) this[$framedOrbit] = cloneOrbit(player.orbit);
        });
      }
      player.addEventListener('orbitchange', () => userMoved.add(player));
      this.applySize();
      if (this.cameraOrbit) this.applyCameraOrbit();
      if (this.cameraTarget) this.applyCameraTarget();
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      if (!this[$player]) {
        // Check the attributes now so that typos show up even before the player exists.
        if (changed.has('cameraOrbit')) this.cameraOrbitSpec();
        if (changed.has('cameraTarget')) this.cameraTargetSpec();
        if (changed.has('background')) this.backgroundRgb();
        return;
      }
      if (changed.has('cameraOrbit') && changed.get('cameraOrbit') !== undefined) this.applyCameraOrbit();
      if (changed.has('cameraTarget') && changed.get('cameraTarget') !== undefined) this.applyCameraTarget();
      if (changed.has('background') && changed.get('background') !== undefined) {
        const rgb = this.backgroundRgb() ?? DEFAULT_BACKGROUND;
        this[$player]!.setBackground(rgb).catch((e) => this[$reportError](e));
      }
    }

    private applySize(): void {
      const player = this[$player];
      if (!player) return;
      const { width, height, dpr } = this[$boxSize]();
      const { state } = player;
      if (state.width === Math.max(1, Math.round(width * dpr)) && state.height === Math.max(1, Math.round(height * dpr))) return;
      player.resize(width, height, dpr).catch((e) => this[$reportError](e));
    }

    /** Re-arms a one-shot media query for the current ratio: it fires when the ratio changes. */
    private watchDevicePixelRatio(): void {
      this.dprQuery?.removeEventListener('change', this.onDprChange);
      if (typeof matchMedia !== 'function') return;
      this.dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      this.dprQuery.addEventListener('change', this.onDprChange);
      this.applySize();
    }

    private applyCameraOrbit(): void {
      const player = this[$player];
      const framed = this[$framedOrbit];
      if (!player || !framed) return;
      const spec = this.cameraOrbitSpec();
      if (!spec) return;
      player.setOrbit(resolveCameraOrbit(spec, framed)).catch((e) => this[$reportError](e));
    }

    private applyCameraTarget(): void {
      const target = this.cameraTargetSpec();
      if (target) this[$player]?.setOrbit({ target }).catch((e) => this[$reportError](e));
    }

    private cameraTargetSpec(): 'auto' | [number, number, number] | null {
      try {
        return parseCameraTarget(this.cameraTarget);
      } catch (e) {
        this[$reportError](e);
        return null;
      }
    }

    private cameraOrbitSpec(): CameraOrbitSpec | null {
      try {
        return parseCameraOrbit(this.cameraOrbit);
      } catch (e) {
        this[$reportError](e);
        return null;
      }
    }

    /** sRGB 0…1 of `background`, as CSS colours are (transparent = the first opaque colour behind the element); null = the player's default. */
    private backgroundRgb(): [number, number, number] | null {
      if (!this.background) return null;
      try {
        const spec = parseBackground(this.background);
        return spec.transparent ? colourBehind(this) : spec.rgb;
      } catch (e) {
        this[$reportError](e);
        return null;
      }
    }
  }
  return StagingElement;
};

/** Players whose orbit was set (by camera-orbit or the controls): their framing no longer follows the avatar. */
const userMoved = new WeakSet<Player>();

function cloneOrbit(orbit: Orbit): Orbit {
  return { theta: orbit.theta, phi: orbit.phi, radius: orbit.radius, target: [orbit.target[0], orbit.target[1], orbit.target[2]] };
}

/**
 * The canvas draws opaque pixels, so `transparent` takes the computed background colour of the
 * nearest ancestor that has one (white, the canvas colour of a page, when none has).
 */
function colourBehind(element: Element): [number, number, number] {
  for (let node: Element | null = element.parentElement ?? (element.getRootNode() as ShadowRoot).host ?? null; node; ) {
    const match = /rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)/.exec(getComputedStyle(node).backgroundColor);
    if (match && (match[4] === undefined || Number(match[4]) > 0)) return [Number(match[1]) / 255, Number(match[2]) / 255, Number(match[3]) / 255];
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return [1, 1, 1];
}
