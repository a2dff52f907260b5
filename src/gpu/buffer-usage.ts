/**
 * GPUBufferUsage flags with the values the WebGPU spec fixes, for module-level constants: Node
 * (SSR, tooling) imports the package and has no `GPUBufferUsage` global while modules evaluate
 * (tests/package/node-import.test.ts). Inside functions the global is fine.
 */
export const STORAGE = 0x0080;
export const COPY_SRC = 0x0004;
export const COPY_DST = 0x0008;
/** Storage buffers copied to and from (parameters, gradients, activations, training targets). */
export const STORAGE_COPYABLE = STORAGE | COPY_SRC | COPY_DST;
