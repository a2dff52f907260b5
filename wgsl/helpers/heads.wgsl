// Squashing functions of the appearance heads (decode_heads*.wgsl), safe for any finite input.
fn sigmoid(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}

// tanh through exp, clamped so exp cannot overflow (tanh(±15) is ±1 in f32).
fn safe_tanh(x: f32) -> f32 {
  let e = exp(2.0 * clamp(x, -15.0, 15.0));
  return (e - 1.0) / (e + 1.0);
}

struct HeadParams {
  count: u32,
  max_offset: f32,
  min_scale: f32,
  max_scale: f32,
}
