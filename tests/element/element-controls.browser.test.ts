// Camera controls of <gaussian-avatar>: a drag orbits, the wheel and a pinch zoom, the arrow keys
// and + / − do the same with focus; the camera the player uses follows (read from its state).
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { nextEvent, smallAvatar } from '../player/player-fixtures.js';
import { makeElement, until } from './element-fixtures.js';

async function loadedElement(attributes: Record<string, string> = {}): Promise<GaussianAvatarElement> {
  const el = makeElement(attributes);
  el.avatar = await smallAvatar();
  const loaded = nextEvent(el, 'load');
  document.body.append(el);
  await loaded;
  return el;
}

function pointer(el: Element, type: string, pointerId: number, x: number, y: number): void {
  const box = el.getBoundingClientRect();
  el.dispatchEvent(new PointerEvent(type, { pointerId, pointerType: 'touch', clientX: box.left + x, clientY: box.top + y, bubbles: true, cancelable: true, isPrimary: pointerId === 1 }));
}

describe('<gaussian-avatar> controls and staging', () => {
  it('a drag to the right turns the camera to −θ; a drag down raises it', async () => {
    const el = await loadedElement();
    try {
      const player = el[$player]!;
      const start = { ...player.orbit };
      pointer(el, 'pointerdown', 1, 60, 80);
      pointer(el, 'pointermove', 1, 90, 80); // a quarter of the 120 px width: π/4
      pointer(el, 'pointerup', 1, 90, 80);
      await until(() => player.orbit.theta !== start.theta, 'the drag to reach the player');
      expect(player.orbit.theta - start.theta).to.be.closeTo(-Math.PI / 4, 1e-9);
      expect(player.orbit.radius).to.equal(start.radius);
      pointer(el, 'pointerdown', 1, 60, 40);
      pointer(el, 'pointermove', 1, 60, 80); // a quarter of the 160 px height: (π/2)/4
      pointer(el, 'pointerup', 1, 60, 80);
      await until(() => player.orbit.phi !== start.phi, 'the vertical drag');
      expect(player.orbit.phi - start.phi).to.be.closeTo(Math.PI / 8, 1e-9);
    } finally {
      el.remove();
    }
  });

  it('the wheel and a pinch zoom; the keys orbit and zoom', async () => {
    const el = await loadedElement();
    try {
      const player = el[$player]!;
      const r0 = player.orbit.radius;
      el.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, deltaMode: WheelEvent.DOM_DELTA_PIXEL, bubbles: true, cancelable: true }));
      await until(() => player.orbit.radius !== r0, 'the wheel zoom');
      expect(player.orbit.radius / r0).to.be.closeTo(Math.exp(0.15), 1e-9);
      // Two fingers move apart from 40 px to 80 px: twice as close.
      const r1 = player.orbit.radius;
      pointer(el, 'pointerdown', 1, 40, 80);
      pointer(el, 'pointerdown', 2, 80, 80);
      pointer(el, 'pointermove', 2, 120, 80);
      pointer(el, 'pointerup', 1, 40, 80);
      pointer(el, 'pointerup', 2, 120, 80);
      await until(() => player.orbit.radius !== r1, 'the pinch');
      expect(player.orbit.radius / r1).to.be.closeTo(0.5, 1e-9);
      const { theta, radius } = player.orbit;
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
      await until(() => player.orbit.theta !== theta, 'ArrowLeft');
      expect(player.orbit.theta - theta).to.be.closeTo((10 * Math.PI) / 180, 1e-9);
      el.dispatchEvent(new KeyboardEvent('keydown', { key: '-', bubbles: true, cancelable: true }));
      await until(() => player.orbit.radius !== radius, '−');
      expect(player.orbit.radius / radius).to.be.closeTo(1.1, 1e-9);
      // A key the controls do not use is left to the page.
      const other = new KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true });
      el.dispatchEvent(other);
      expect(other.defaultPrevented).to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('background="transparent" takes the colour of the page behind the element', async () => {
    const holder = document.createElement('div');
    holder.style.background = 'rgb(0, 0, 255)';
    document.body.append(holder);
    const el = makeElement({ background: 'transparent' });
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    holder.append(el);
    try {
      await loaded;
      const pixels = await el[$player]!.testHooks.readPixels();
      expect([...pixels.data.subarray(0, 4)]).to.deep.equal([0, 0, 255, 255]); // top-left corner: no body there
      holder.style.background = 'rgb(255, 0, 0)';
      el.background = '#ff0';
      await el.updateComplete; // the element has sent the colour; the player takes calls in order
      const after = await el[$player]!.testHooks.readPixels();
      expect([...after.data.subarray(0, 4)]).to.deep.equal([255, 255, 0, 255]);
    } finally {
      holder.remove();
    }
  });
});
