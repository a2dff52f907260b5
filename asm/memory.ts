// Raw buffers in linear memory, handed to JS as byte offsets. JS views them as typed arrays over
// `memory.buffer` (re-create views after any call that may grow memory). Blocks are 16-byte aligned
// (TLSF), which the SIMD loops rely on for their padded rows.
export function allocF32(count: i32): usize {
  return heap.alloc(<usize>max(count, 1) << 2);
}

export function allocF64(count: i32): usize {
  return heap.alloc(<usize>max(count, 1) << 3);
}

/** Allocates `count` 32-bit slots and zero-fills them. */
export function allocZeroed32(count: i32): usize {
  const bytes = <usize>max(count, 1) << 2;
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

export function freeBuffer(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}
