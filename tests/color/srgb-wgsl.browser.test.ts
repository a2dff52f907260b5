// wgsl/helpers/srgb.wgsl against its TypeScript twin src/color/srgb.ts: a compute kernel applies
// linear_to_srgb and srgb_to_linear to values across 0…1 (both thresholds, the ends, and values
// outside the range, which are clamped) and the results match to 1e-5.
import { expect } from 'chai';
import srgbHelpers from '../../wgsl/helpers/srgb.wgsl';
import { linearToSrgb, srgbToLinear } from '../../src/color/srgb.js';
import { expectNoGpuError, getTestDevice } from '../helpers/gpu-device.js';

const KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> values: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> encoded: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> decoded: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= arrayLength(&values)) { return; }
  encoded[i] = vec4f(linear_to_srgb(values[i].xyz), 0.0);
  decoded[i] = vec4f(srgb_to_linear(values[i].xyz), 0.0);
}
`;

describe('sRGB transfer function in WGSL', () => {
  it('linear_to_srgb and srgb_to_linear match src/color/srgb.ts within 1e-5', async () => {
    const device = await getTestDevice();
    const inputs: number[] = [0, 1, -0.25, 1.5, 0.0031308, 0.0031309, 0.04045, 0.04046, 0.5, 0.7353569830524495];
    for (let k = 0; k <= 1000; k++) inputs.push(k / 1000);
    for (let k = 0; k < 100; k++) inputs.push((k / 100) * 0.05); // the toes of both curves, finely
    while (inputs.length % 3) inputs.push(0.25);
    const count = inputs.length / 3;
    const packed = new Float32Array(4 * count);
    for (let i = 0; i < count; i++) packed.set(inputs.slice(3 * i, 3 * i + 3), 4 * i);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const values = device.createBuffer({ size: packed.byteLength, usage });
    device.queue.writeBuffer(values, 0, packed);
    const encoded = device.createBuffer({ size: packed.byteLength, usage });
    const decoded = device.createBuffer({ size: packed.byteLength, usage });
    const staging = device.createBuffer({ size: 2 * packed.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    await expectNoGpuError(device, async () => {
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: srgbHelpers + KERNEL }), entryPoint: 'main' } });
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [values, encoded, decoded].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(count / 64));
      pass.end();
      encoder.copyBufferToBuffer(encoded, 0, staging, 0, packed.byteLength);
      encoder.copyBufferToBuffer(decoded, 0, staging, packed.byteLength, packed.byteLength);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
    });
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    for (const b of [values, encoded, decoded, staging]) b.destroy();
    let worstEncode = 0, worstDecode = 0;
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < 3; c++) {
        const x = packed[4 * i + c]!;
        worstEncode = Math.max(worstEncode, Math.abs(out[4 * i + c]! - linearToSrgb(x)));
        worstDecode = Math.max(worstDecode, Math.abs(out[4 * (count + i) + c]! - srgbToLinear(x)));
      }
    }
    console.log(`WGSL sRGB vs TS: ${3 * count} values, encode max |Δ| ${worstEncode.toExponential(2)}, decode max |Δ| ${worstDecode.toExponential(2)}`);
    expect(worstEncode, 'linear_to_srgb').to.be.at.most(1e-5);
    expect(worstDecode, 'srgb_to_linear').to.be.at.most(1e-5);
  });
});
