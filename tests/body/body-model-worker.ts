// Worker side of body-model.browser.test.ts: builds a model inside a module worker and answers
// with forward() of the posted params (checks that the WASM loads there without fetch or DOM).
import { createBodyModel } from '../../src/body/body-model.js';
import type { BodyModelData, BodyParams } from '../../src/body/types.js';

self.onmessage = async (event: MessageEvent<{ data: BodyModelData; params: BodyParams }>) => {
  try {
    const model = await createBodyModel(event.data.data);
    const out = model.forward(event.data.params);
    model.dispose();
    self.postMessage({ vertices: out.vertices });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
