// AssemblyScript entry: one .wasm for rotations, forward kinematics, blend shapes, skinning and
// their reverse-mode gradients. Each concern lives in its own file and is re-exported here.
export { allocF32, freeBuffer } from './memory';
