// Copies the scan's grand total (the top level's single block sum) to the caller's buffer at
// word `where_to.index`. A separate dispatch so the caller's buffer may be any STORAGE buffer.

struct Destination {
  index: u32,
}

@group(0) @binding(0) var<storage, read> top_sum: array<u32>;
@group(0) @binding(1) var<storage, read_write> destination: array<u32>;
@group(0) @binding(2) var<uniform> where_to: Destination;

@compute @workgroup_size(1)
fn main() {
  destination[where_to.index] = top_sum[0];
}
