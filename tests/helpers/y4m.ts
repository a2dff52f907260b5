// Writes tiny uncompressed .y4m (YUV4MPEG2, 4:2:0) videos: the file Chromium's fake camera
// (--use-file-for-fake-video-capture) plays in a loop. Also loaded by web-test-runner.config.mjs
// (through scripts/fake-camera.mjs) to write build/fake-camera.y4m, so it has no imports.

/** The fake camera's clip: solid colours, FAKE_CAMERA.colours[k % n] in frame k, looped by Chromium. */
export const FAKE_CAMERA = {
  width: 64,
  height: 48,
  fps: 10,
  /** sRGB 0…255; far apart so a frame's colour is recognisable after YUV round trips and scaling. */
  colours: [[220, 40, 40], [40, 200, 60], [50, 70, 220], [235, 215, 50]] as [number, number, number][],
};

/**
 * Encodes frames (each RGB 8-bit, width×height×3, row-major, top row first) as a 4:2:0 .y4m with
 * BT.601 limited-range YUV, the layout Chromium's file capture reads. Width and height must be even.
 */
export function encodeY4m(width: number, height: number, fps: number, frames: Uint8Array[]): Uint8Array {
  if (width % 2 || height % 2) throw new Error(`encodeY4m: width and height must be even, got ${width}×${height}`);
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const marker = new TextEncoder().encode('FRAME\n');
  const lumaSize = width * height, chromaSize = (width / 2) * (height / 2);
  const frameSize = marker.length + lumaSize + 2 * chromaSize;
  const out = new Uint8Array(header.length + frames.length * frameSize);
  out.set(header, 0);
  frames.forEach((rgb, f) => {
    if (rgb.length !== lumaSize * 3) throw new Error(`encodeY4m: frame ${f}: expected ${lumaSize * 3} bytes, got ${rgb.length}`);
    let o = header.length + f * frameSize;
    out.set(marker, o);
    o += marker.length;
    const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    for (let i = 0; i < lumaSize; i++) {
      const [r, g, b] = [rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!];
      out[o + i] = clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
    }
    // Chroma: each 2×2 block's mean colour.
    for (let y = 0; y < height / 2; y++) {
      for (let x = 0; x < width / 2; x++) {
        let r = 0, g = 0, b = 0;
        for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
          const p = ((2 * y + dy) * width + 2 * x + dx) * 3;
          r += rgb[p]! / 4;
          g += rgb[p + 1]! / 4;
          b += rgb[p + 2]! / 4;
        }
        const c = y * (width / 2) + x;
        out[o + lumaSize + c] = clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
        out[o + lumaSize + chromaSize + c] = clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
      }
    }
  });
  return out;
}

/** The fake camera's clip as .y4m bytes: one frame per colour of FAKE_CAMERA. */
export function fakeCameraY4m(): Uint8Array {
  const { width, height, fps, colours } = FAKE_CAMERA;
  const frames = colours.map((c) => {
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb.set(c, i * 3);
    return rgb;
  });
  return encodeY4m(width, height, fps, frames);
}
