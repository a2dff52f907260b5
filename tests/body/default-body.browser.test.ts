// The default body loads in a browser page from the inlined asset (no fetch) and poses there.
import { expect } from 'chai';
import { createDefaultBody } from '../../src/body/default-body.js';

describe('default body in the browser', () => {
  it('decodes, builds and poses without any network request', async () => {
    const fetched: string[] = [];
    const originalFetch = globalThis.fetch;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetched.push(String(input));
      return originalFetch(input, init);
    };
    try {
      const body = await createDefaultBody();
      const rest = body.forward({ pose: new Float32Array(72) });
      let lo = Infinity, hi = -Infinity;
      for (let i = 1; i < rest.vertices.length; i += 3) {
        lo = Math.min(lo, rest.vertices[i]!);
        hi = Math.max(hi, rest.vertices[i]!);
      }
      expect(hi - lo).to.be.within(1.6, 1.8);
      // Lowering the left arm (L_shoulder about −z) brings the left wrist (joint 20) below the shoulder (16).
      const pose = new Float32Array(72);
      pose[16 * 3 + 2] = -1.2;
      const posed = body.forward({ pose });
      expect(posed.joints[20 * 3 + 1]!).to.be.below(rest.joints[16 * 3 + 1]! - 0.3);
      body.dispose();
      expect(fetched).to.deep.equal([]);
    } finally {
      globalThis.fetch = originalFetch;
    }
  });
});
