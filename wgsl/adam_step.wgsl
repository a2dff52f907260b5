// One Adam step (decoupled weight decay, as PyTorch's AdamW; weight_decay 0 is plain Adam) on one
// parameter group, one thread per parameter:
//   p ← p · (1 − lr · weight_decay)
//   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
//   p ← p − lr · (m / bc1) / (sqrt(v / bc2) + ε)      bc1 = 1 − β1^step, bc2 = 1 − β2^step
// The bias corrections come from the CPU (f64) with the step number. param, grad, m, v: count f32.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  step: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  weight_decay: f32,
  bias_correction1: f32,
  bias_correction2: f32,
}

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment1: array<f32>;
@group(0) @binding(3) var<storage, read_write> moment2: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(THREADS)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let i = linear_workgroup_index(workgroup_id, num_workgroups) * THREADS + t;
  if (i >= params.count) { return; }
  let g = grad[i];
  let m = params.beta1 * moment1[i] + (1.0 - params.beta1) * g;
  let v = params.beta2 * moment2[i] + (1.0 - params.beta2) * g * g;
  moment1[i] = m;
  moment2[i] = v;
  let p = param[i] * (1.0 - params.lr * params.weight_decay);
  param[i] = p - params.lr * (m / params.bias_correction1) / (sqrt(v / params.bias_correction2) + params.epsilon);
}
