/**
 * The fit panel's live loss plot: the training losses so far as a line on a small canvas, log
 * scale (the loss falls by orders of magnitude), newest on the right.
 */
import { linearToSrgb8 } from '../../src/color/srgb.js';

/** Draws `losses` (finite, > 0 values only) onto `canvas`, scaled to its full width and height. */
export function drawLossPlot(canvas: HTMLCanvasElement, losses: readonly number[]): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const values = losses.filter((v) => Number.isFinite(v) && v > 0).map((v) => Math.log10(v));
  if (values.length < 2) return;
  let low = Math.min(...values), high = Math.max(...values);
  if (high - low < 1e-6) [low, high] = [low - 0.5, high + 0.5];
  context.strokeStyle = '#6cf';
  context.lineWidth = 1.5;
  context.beginPath();
  values.forEach((v, i) => {
    const x = (i / (values.length - 1)) * (width - 2) + 1;
    const y = (1 - (v - low) / (high - low)) * (height - 2) + 1;
    if (i === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
  context.stroke();
}

/** Draws a training preview (H×W×3 linear RGB 0…1) onto `canvas`, resizing it to the preview's size. */
export function drawPreview(canvas: HTMLCanvasElement, preview: { width: number; height: number; rgb: Float32Array }): void {
  const { width, height, rgb } = preview;
  [canvas.width, canvas.height] = [width, height];
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    // A 2D canvas shows its bytes as sRGB: encode the linear preview.
    for (let c = 0; c < 3; c++) image.data[4 * p + c] = linearToSrgb8(rgb[3 * p + c]!);
    image.data[4 * p + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
