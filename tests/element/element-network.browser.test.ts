// The one-file bundle (dist/gaussian-avatar.min.js, built by `npm run build`) defines the element
// and makes no request beyond the URLs the page gives it: no worker file, no WASM, no asset.
// Checked three ways: wrapped fetch, wrapped Worker, and the page's resource timing entries.
// Its typed errors keep their class names through minification and the worker boundary.
import { expect } from 'chai';
import { until } from './element-fixtures.js';

const BUNDLE = new URL('../../dist/gaussian-avatar.min.js', import.meta.url).href;
const MOTION = new URL('/assets/motions/dance.json', location.href).href;

describe('dist/gaussian-avatar.min.js', () => {
  it('plays an avatar from a blob URL under a served motion, requesting only those two URLs', async () => {
    const sdk = await import(/* @vite-ignore */ BUNDLE);
    expect(customElements.get('gaussian-avatar'), 'the bundle defines <gaussian-avatar>').to.equal(sdk.GaussianAvatarElement);
    const avatar = await sdk.createDefaultAvatar({ resolution: 40 });
    const src = URL.createObjectURL(new Blob([sdk.saveAvatar(avatar)]));
    avatar.body.dispose();

    const fetched: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
    const workers: string[] = [];
    const RealWorker = window.Worker;
    window.Worker = class extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        workers.push(String(url));
        super(url, options);
      }
    };
    const resources: string[] = [];
    const observer = new PerformanceObserver((list) => resources.push(...list.getEntries().map((e) => e.name)));
    observer.observe({ type: 'resource' });

    const el = document.createElement('gaussian-avatar');
    el.style.width = '120px';
    el.style.height = '160px';
    el.setAttribute('src', src);
    el.setAttribute('motion', '/assets/motions/dance.json');
    el.setAttribute('autoplay', '');
    el.setAttribute('loop', '');
    const events: string[] = [];
    for (const type of ['load', 'play', 'timeupdate', 'error']) el.addEventListener(type, () => events.push(type));
    try {
      document.body.append(el);
      await until(() => events.filter((t) => t === 'timeupdate').length >= 3 || events.includes('error'), 'three timeupdates');
      expect(events).to.not.include('error');
      expect(events.indexOf('load')).to.be.lessThan(events.indexOf('play'));
      expect((el as unknown as { duration: number }).duration).to.equal(2); // dance.json: 60 frames at 30 fps
      await new Promise((resolve) => setTimeout(resolve, 300)); // let resource entries arrive
      expect(fetched.sort()).to.deep.equal([src, '/assets/motions/dance.json'].sort());
      expect(resources).to.deep.equal([MOTION]);
      for (const url of workers) expect(url.startsWith('blob:'), `worker script ${url}`).to.equal(true);

      // Typed errors survive minification and the worker boundary: a bad URL fails on the page,
      // a corrupt file in the worker's decoder; both arrive as the bundle's own classes.
      const corrupt = URL.createObjectURL(new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]));
      const errors: Error[] = [];
      el.addEventListener('error', (e) => {
        e.preventDefault();
        errors.push((e as unknown as CustomEvent<{ error: Error }>).detail.error);
      });
      for (const [bad, ErrorClass, name] of [['/no/such/avatar.gavatar', sdk.AvatarInputError, 'AvatarInputError'], [corrupt, sdk.AvatarFormatError, 'AvatarFormatError']]) {
        const before = errors.length;
        el.setAttribute('src', bad);
        await until(() => errors.length > before, `an error for ${bad}`);
        expect(errors[before]).to.be.instanceOf(ErrorClass);
        expect(errors[before]).to.be.instanceOf(sdk.GaussianAvatarError);
        expect(errors[before].name).to.equal(name);
      }
      URL.revokeObjectURL(corrupt);
    } finally {
      el.remove();
      observer.disconnect();
      window.fetch = realFetch;
      window.Worker = RealWorker;
      URL.revokeObjectURL(src);
    }
  });
});
