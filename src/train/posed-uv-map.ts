/**
 * The posed UV positional map (GaussianAvatar §3.2): the pose encoder's input. For a frame's pose,
 * the body's posed surface sampled on the R × R UV layout, in the body's root frame, so the global
 * orientation and translation do not leak in: a bent knee changes the texels round the knee, a
 * turn of the whole body changes nothing.
 *
 *   layout (CPU, once):  per texel of the R × R UV square, the covering triangle's three vertex
 *                        indices and barycentric coordinates (rasterizeUvSurface's), or none;
 *   per frame (GPU):     map[c · R² + t] = (toRoot · Σ_k b_k · v_k)_c  for covered texels t, else 0,
 *                        with v the posed vertices (body.forward, world frame) and
 *                        toRoot(x) = R_rootᵀ · (x − pelvis), R_root the root joint's posed rotation
 *                        (wgsl/sample_posed_uv_map.wgsl).
 *
 * Layout of `map`: f32, channel-major 3 × R × R (x, y, z planes, metres), texel t = row·R + col with
 * row 0 the top of the UV square (v = 1), as the feature tensor (nn/feature-tensor.ts).
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import sampleSource from '../../wgsl/sample_posed_uv_map.wgsl';
import type { BodyForwardResult } from '../body/types.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { createBufferFrom } from '../gpu/buffers.js';
import { STORAGE_COPYABLE } from '../gpu/buffer-usage.js';
import { bindBuffers, createPipeline, dispatchItems } from './nn/kernel-utils.js';
import { rootFrameMatrix, UNCOVERED_TEXEL, type PosedUvLayout } from './posed-uv-layout.js';

export { coveredTexelMask, posedUvLayout, rootFrameMatrix, UNCOVERED_TEXEL, type PosedUvLayout } from './posed-uv-layout.js';

export interface PosedUvMap {
  readonly resolution: number;
  /** 3 × R × R f32 (see the module comment). STORAGE | COPY_SRC | COPY_DST. */
  readonly map: GPUBuffer;
  /**
   * Uploads one frame's posed body (body.forward of the frame's pose, trans and betas: V×3
   * vertices, joints, transforms) with queue.writeBuffer: one frame per submitted command buffer.
   */
  writeFrame(posed: BodyForwardResult): void;
  /** Encodes the map of the last written frame into `map`. */
  encode(encoder: GPUCommandEncoder): void;
  destroy(): void;
}

/** The GPU map for `layout`; `numVertices` (default layout.numVertices) is V of the frames written. */
export function createPosedUvMap(device: GPUDevice, layout: PosedUvLayout, numVertices = layout?.numVertices): PosedUvMap {
  const R = layout?.resolution;
  if (!Number.isInteger(R) || R < 1 || R > 4096) throw new AvatarInputError(`layout.resolution: expected an integer in 1…4096, got ${describeValue(R)}`);
  const R2 = R * R;
  if (!(layout.texelVertices instanceof Uint32Array) || layout.texelVertices.length !== 3 * R2) throw new AvatarInputError(`layout.texelVertices: expected Uint32Array(${3 * R2}), got ${describeValue(layout.texelVertices)}`);
  if (!(layout.texelWeights instanceof Float32Array) || layout.texelWeights.length !== 3 * R2) throw new AvatarInputError(`layout.texelWeights: expected Float32Array(${3 * R2}), got ${describeValue(layout.texelWeights)}`);
  if (!Number.isInteger(numVertices) || numVertices < 1) throw new AvatarInputError(`numVertices: expected a positive integer, got ${describeValue(numVertices)}`);
  for (const v of layout.texelVertices) {
    if (v !== UNCOVERED_TEXEL && v >= numVertices) throw new AvatarInputError(`layout.texelVertices: expected vertex indices below ${numVertices}, got ${v}`);
  }
  const pipeline = createPipeline(device, 'sample_posed_uv_map', dispatchHelpers + sampleSource);
  const texelVertices = createBufferFrom(device, layout.texelVertices, GPUBufferUsage.STORAGE, 'posed uv map texel vertices');
  const texelWeights = createBufferFrom(device, layout.texelWeights, GPUBufferUsage.STORAGE, 'posed uv map texel weights');
  const vertices = device.createBuffer({ label: 'posed uv map vertices', size: 12 * numVertices, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const map = device.createBuffer({ label: 'posed uv map', size: 12 * R2, usage: STORAGE_COPYABLE });
  // Params: mat4x4f then texels (u32), padded to 80 bytes.
  const params = device.createBuffer({ label: 'posed uv map params', size: 80, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const bindGroup = bindBuffers(device, pipeline, [vertices, texelVertices, texelWeights, map, params]);
  const paramData = new ArrayBuffer(80);
  new Uint32Array(paramData, 64, 1)[0] = R2;
  return {
    resolution: R,
    map,
    writeFrame(posed) {
      if (!posed || !(posed.vertices instanceof Float32Array) || posed.vertices.length !== 3 * numVertices) {
        throw new AvatarInputError(`posed.vertices: expected Float32Array(${3 * numVertices}) (V×3, body.forward), got ${describeValue(posed?.vertices)}`);
      }
      if (!(posed.transforms instanceof Float32Array) || posed.transforms.length < 16 || !(posed.joints instanceof Float32Array) || posed.joints.length < 3) {
        throw new AvatarInputError('posed: expected body.forward\'s joints (J×3) and transforms (J×16)');
      }
      new Float32Array(paramData, 0, 16).set(rootFrameMatrix(posed));
      device.queue.writeBuffer(params, 0, paramData);
      device.queue.writeBuffer(vertices, 0, posed.vertices.buffer as ArrayBuffer, posed.vertices.byteOffset, posed.vertices.byteLength);
    },
    encode(encoder) {
      const pass = encoder.beginComputePass({ label: 'sample posed uv map' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      dispatchItems(pass, R2);
      pass.end();
    },
    destroy() {
      for (const b of [texelVertices, texelWeights, vertices, map, params]) b.destroy();
    },
  };
}
