// Activations of the appearance network, applied by the matmul and conv kernels as they load their input.
// Codes: 0 identity, 1 ReLU, 2 SiLU (z · sigmoid(z)) (src/train/nn/matmul.ts ACTIVATION_CODES),
// 3 LeakyReLU with slope 0.2 below 0 (the U-Net pose encoder: src/train/nn/conv2d.ts CONV_ACTIVATION_CODES).

const LEAKY_SLOPE: f32 = 0.2;

fn activate(z: f32, kind: u32) -> f32 {
  switch kind {
    case 1u: { return max(z, 0.0); }
    // exp(−z) overflows to +inf for z < −88: z / inf = −0, the right limit.
    case 2u: { return z / (1.0 + exp(-z)); }
    case 3u: { return select(LEAKY_SLOPE * z, z, z >= 0.0); }
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
    case 3u: { return select(LEAKY_SLOPE, 1.0, z >= 0.0); }
    default: { return 1.0; }
  }
}
