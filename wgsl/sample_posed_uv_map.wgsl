// The posed body's UV positional map, the pose encoder's input: every texel t of the R × R UV
// layout takes the posed surface point of the triangle covering it (barycentric blend of that
// triangle's three posed vertices), carried into the body's root frame by `to_root` (the root's
// rotation and the pelvis' position undone, so global orientation and translation do not leak
// in). Texels no triangle covers get 0. Output channel-major: map[c · R² + t], c = x, y, z.
// One thread per texel. Needs helpers/dispatch.wgsl.

struct Params {
  to_root: mat4x4f, // column-major, posed world → root frame (metres)
  texels: u32,      // R²
}

const THREADS: u32 = 256u;
const UNCOVERED: u32 = 0xffffffffu;

@group(0) @binding(0) var<storage, read> vertices: array<f32>;        // V × 3 posed, metres
@group(0) @binding(1) var<storage, read> texel_vertices: array<u32>;  // R² × 3 vertex indices, UNCOVERED for empty texels
@group(0) @binding(2) var<storage, read> texel_weights: array<f32>;   // R² × 3 barycentric coordinates
@group(0) @binding(3) var<storage, read_write> map: array<f32>;       // 3 × R²
@group(0) @binding(4) var<uniform> params: Params;

fn vertex(index: u32) -> vec3f {
  return vec3f(vertices[3u * index], vertices[3u * index + 1u], vertices[3u * index + 2u]);
}

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let texel = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  let n = params.texels;
  if (texel >= n) { return; }
  let a = texel_vertices[3u * texel];
  var p = vec3f(0.0);
  if (a != UNCOVERED) {
    let b = texel_vertices[3u * texel + 1u];
    let c = texel_vertices[3u * texel + 2u];
    let w = vec3f(texel_weights[3u * texel], texel_weights[3u * texel + 1u], texel_weights[3u * texel + 2u]);
    let surface = w.x * vertex(a) + w.y * vertex(b) + w.z * vertex(c);
    p = (params.to_root * vec4f(surface, 1.0)).xyz;
  }
  map[texel] = p.x;
  map[n + texel] = p.y;
  map[2u * n + texel] = p.z;
}
