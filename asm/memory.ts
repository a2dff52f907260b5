// Raw buffers in linear memory, handed to JS as byte offsets. JS views them as Float32Array /
// Int32Array over `memory.buffer` (re-create views after any call that may grow memory).
export function allocF32(count: i32): usize {
  return heap.alloc(<usize>count << 2);
}

export function freeBuffer(ptr: usize): void {
  heap.free(ptr);
}
