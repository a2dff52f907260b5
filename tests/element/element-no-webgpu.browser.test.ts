// Without WebGPU (navigator.gpu removed before the element upgrades) the element shows a message
// in its own box, fires 'error' with a WebGPUUnavailableError, and fetches nothing.
import { expect } from 'chai';
import '../../components/index.js';
import { NO_WEBGPU_MESSAGE } from '../../components/features/fallback.js';
import { WebGPUUnavailableError } from '../../src/errors.js';
import { nextEvent } from '../player/player-fixtures.js';
import { BOX_HEIGHT, BOX_WIDTH, makeElement } from './element-fixtures.js';

describe('<gaussian-avatar> without WebGPU', () => {
  it('shows the message in its box, fires error, and fetches neither src nor motion', async () => {
    const fetched: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
    Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
    const el = makeElement({ src: '/no/avatar.gavatar', motion: '/assets/motions/dance.json', autoplay: '' });
    try {
      const error = nextEvent<CustomEvent<{ error: Error }>>(el, 'error', 10000);
      el.addEventListener('error', (e) => e.preventDefault()); // expected: keep the console quiet
      document.body.append(el);
      const { detail } = await error;
      expect(detail.error).to.be.instanceOf(WebGPUUnavailableError);
      expect(detail.error.message).to.match(/^navigator\.gpu: expected the WebGPU API/);
      await el.updateComplete;
      const message = el.shadowRoot!.querySelector('.message') as HTMLElement;
      expect(message, 'the message element').to.not.equal(null);
      expect(message.textContent).to.equal(NO_WEBGPU_MESSAGE);
      const box = message.getBoundingClientRect();
      const host = el.getBoundingClientRect();
      expect([host.width, host.height]).to.deep.equal([BOX_WIDTH, BOX_HEIGHT]);
      expect([box.left, box.top, box.width, box.height]).to.deep.equal([host.left, host.top, host.width, host.height]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fetched).to.deep.equal([]);
      expect(el.paused).to.equal(true);
      expect(el.duration).to.equal(0);
    } finally {
      el.remove();
      window.fetch = realFetch;
      delete (navigator as { gpu?: unknown }).gpu;
    }
    expect(navigator.gpu, 'navigator.gpu restored').to.not.equal(undefined);
  });
});
