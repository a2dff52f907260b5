/**
 * Caches bind groups by the identity of the objects they bind (buffers, constant buffers), so
 * encoding the same kernel on the same buffers every frame creates no new bind groups. Entries
 * die with their buffers (WeakMap).
 */
type Node = { next: WeakMap<object, Node>; value?: GPUBindGroup };

export class BindGroupCache {
  private root: Node = { next: new WeakMap() };

  /** The bind group cached for exactly these `keys` (in order), created by `create` on a miss. */
  get(keys: readonly object[], create: () => GPUBindGroup): GPUBindGroup {
    let node = this.root;
    for (const key of keys) {
      let child = node.next.get(key);
      if (!child) {
        child = { next: new WeakMap() };
        node.next.set(key, child);
      }
      node = child;
    }
    node.value ??= create();
    return node.value;
  }

  clear(): void {
    this.root = { next: new WeakMap() };
  }
}
