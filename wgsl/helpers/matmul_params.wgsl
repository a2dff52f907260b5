// The dense-layer kernels' parameters (binding 0; src/train/nn/matmul.ts writes them):
// X is rows × inputs, the layer (inputs + 1) × outputs, Z rows × outputs; `activation` is applied
// to X as it is loaded (helpers/activation.wgsl codes).

struct MatmulParams {
  rows: u32,
  inputs: u32,
  outputs: u32,
  activation: u32,
}

@group(0) @binding(0) var<uniform> params: MatmulParams;
