// Pipelines are compiled once per device: the same kernel asked for again on a device (another
// renderer, another player sharing the device) is the same pipeline object; another device gets its own.
import { expect } from 'chai';
import { cachedComputePipeline, cachedPipeline } from '../../src/gpu/pipeline-cache.js';
import { requestGpuDevice } from '../../src/gpu/device.js';

const CODE = '@group(0) @binding(0) var<storage, read_write> data: array<u32>;\n@compute @workgroup_size(1) fn main() { data[0] = 1u; }';

describe('pipeline cache', () => {
  it('one pipeline per device, kernel and constants', async () => {
    const a = await requestGpuDevice();
    const b = await requestGpuDevice();
    try {
      const first = cachedComputePipeline(a, 'set_one', CODE);
      expect(cachedComputePipeline(a, 'set_one', CODE), 'same device, same kernel').to.equal(first);
      expect(cachedComputePipeline(b, 'set_one', CODE), 'another device').to.not.equal(first);
      expect(cachedComputePipeline(a, 'set_one', CODE.replace('1u', '2u')), 'other source').to.not.equal(first);
      let made = 0;
      const make = () => {
        made++;
        return cachedComputePipeline(a, 'set_one', CODE);
      };
      expect(cachedPipeline(a, 'custom key', make)).to.equal(first);
      expect(cachedPipeline(a, 'custom key', make)).to.equal(first);
      expect(made, 'create calls for one key').to.equal(1);
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
