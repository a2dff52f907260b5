// The built SDK (dist/index.js, made by `npm run build`; `npm test` builds first) finds MediaPipe
// Pose's files where the build copied them, dist/mediapipe/ next to it, with no base URL given,
// and fetches nothing from anywhere else.
import { expect } from 'chai';
import { renderPerson } from './person-image.js';

describe('dist: MediaPipe files served with the SDK', () => {
  it('detects the person with the default base URL (dist/mediapipe/) and default options (tracking over frames)', async () => {
    performance.setResourceTimingBufferSize(100_000);
    const person = await renderPerson();
    const sdk = await import(new URL('../../dist/index.js', import.meta.url).href);
    const input = [0, 1].map((index) => ({ index, timestamp: index / 10, image: person.image }));
    const { frames } = await sdk.detectPoses(input, { modelComplexity: 0 });
    expect(frames.map((f: { frameIndex: number }) => f.frameIndex)).to.deep.equal([0, 1]);
    const requests = performance.getEntriesByType('resource').map((e) => e.name);
    const mediapipe = requests.filter((url) => /pose[^/]*\.(js|wasm|data|tflite|binarypb)$/.test(url) && !url.includes('/src/') && !url.includes('/tests/'));
    console.log(`dist mediapipe requests: ${mediapipe.map((u) => new URL(u).pathname).join(' ')}`);
    expect(mediapipe.length).to.be.at.least(5);
    for (const url of mediapipe) expect(new URL(url).pathname, url).to.match(/^\/dist\/mediapipe\//);
    expect(requests.filter((url) => new URL(url).origin !== location.origin), 'requests to other origins').to.deep.equal([]);
  });
});
