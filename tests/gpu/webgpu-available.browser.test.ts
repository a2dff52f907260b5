import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';

describe('WebGPU test environment', () => {
  it('has an adapter and runs a compute shader', async () => {
    const device = await getTestDevice();
    const out = await expectNoGpuError(device, async () => {
      const module = device.createShaderModule({
        code: `@group(0) @binding(0) var<storage, read_write> data: array<f32>;
               @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
                 if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 2.0 + 1.0; }
               }`,
      });
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const input = new Float32Array(100).map((_, i) => i);
      const buf = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(buf, 0, input);
      const read = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }));
      pass.dispatchWorkgroups(2);
      pass.end();
      enc.copyBufferToBuffer(buf, 0, read, 0, input.byteLength);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const result = new Float32Array(read.getMappedRange().slice(0));
      read.unmap();
      return result;
    });
    for (let i = 0; i < 100; i++) expect(out[i]).to.equal(i * 2 + 1);
  });
});
