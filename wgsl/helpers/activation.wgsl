// Activations of the appearance network's MLP, shared by the matmul kernels.
// Codes (src/train/nn/matmul.ts ACTIVATION_CODES): 0 identity, 1 ReLU, 2 SiLU (z · sigmoid(z)).

fn activate(z: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return max(z, 0.0); }
    // exp(−z) overflows to +inf for z < −88: z / inf = −0, the right limit.
    case 2u: { return z / (1.0 + exp(-z)); }
    default: { return z; }
  }
}

fn activate_derivative(z: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return select(0.0, 1.0, z > 0.0); }
    case 2u: {
      let s = 1.0 / (1.0 + exp(-z));
      return s * (1.0 + z * (1.0 - s));
    }
    default: { return 1.0; }
  }
}
