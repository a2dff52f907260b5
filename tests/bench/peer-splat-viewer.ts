/**
 * A peer web splat renderer for the playback benchmark: @mkkellogg/gaussian-splats-3d (three.js,
 * WebGL 2) showing a 3DGS PLY from an in-memory Blob URL, seen through this project's camera.
 * Used only by tests/bench/playback.browser.bench.ts; no test in `npm test` imports it.
 *
 * Camera conversion: our SplatCamera is OpenCV (x right, y down, z forward; `view` world→camera,
 * column-major 4×4; K 3×3 column-major). A three.js camera's local frame is x right, y up, looking
 * down −z, so its camera→world matrix is view⁻¹ · diag(1, −1, −1, 1); the vertical field of view is
 * 2·atan((h/2) / f_y). The principal point must be the image centre (orbitCamera's K always is).
 * The PLY is read in this project's world (y up, exportPly without flipY): no scene transform.
 */
import * as THREE from 'three';
import { SceneFormat, SceneRevealMode, Viewer } from '@mkkellogg/gaussian-splats-3d';
import type { SplatCamera } from '../../src/render/raster-types.js';

export interface PeerSplatViewer {
  /** "WebGL renderer string (three r<rev>, gaussian-splats-3d)". */
  readonly description: string;
  /** Worker sort time of the last depth sort, ms (the viewer's own figure; sorting runs off the main thread). */
  readonly lastSortMs: number;
  /** The WebGL canvas it draws into. */
  readonly canvas: HTMLCanvasElement;
  /** Moves the camera to `camera` (same size) and re-sorts for it. */
  setCamera(camera: SplatCamera): Promise<void>;
  /** Render one frame and wait for the GPU (a 1×1 readPixels); returns the wall time in ms. */
  renderFrame(): number;
  /** Re-sort for the current camera (as after a camera move) and wait for the worker to finish. */
  sort(): Promise<void>;
  /** Render one frame and return it as a PNG data URL (for eyeballing the framing). */
  snapshot(): string;
  dispose(): Promise<void>;
}

/** The three.js PerspectiveCamera that sees what `camera` (OpenCV K/view) sees. */
export function threeCameraFromSplatCamera(camera: SplatCamera, far = 100) {
  const { width, height, K, view } = camera;
  const [fx, fy, cx, cy] = [K[0], K[4], K[6], K[7]];
  if (Math.abs(cx - width / 2) > 1e-3 || Math.abs(cy - height / 2) > 1e-3 || Math.abs(fx - fy) > 1e-3 * fx) {
    throw new Error(`camera.K: expected square pixels and the principal point at the image centre, got fx ${fx}, fy ${fy}, cx ${cx}, cy ${cy}`);
  }
  const fovDeg = (2 * Math.atan(height / 2 / fy) * 180) / Math.PI;
  const three = new THREE.PerspectiveCamera(fovDeg, width / height, camera.near ?? 0.05, far);
  const cameraToWorld = new THREE.Matrix4().fromArray(Array.from(view)).invert();
  cameraToWorld.multiply(new THREE.Matrix4().makeScale(1, -1, -1)); // OpenCV axes → three.js axes
  cameraToWorld.decompose(three.position, three.quaternion, three.scale);
  three.updateMatrixWorld(true);
  return three;
}

/** Loads `ply` (3DGS binary PLY bytes) into a gaussian-splats-3d viewer on a `camera.width`×`camera.height` canvas. */
export async function createPeerSplatViewer(ply: Uint8Array, camera: SplatCamera): Promise<PeerSplatViewer> {
  const canvas = document.createElement('canvas');
  canvas.width = camera.width;
  canvas.height = camera.height;
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: false, powerPreference: 'high-performance' });
  renderer.setPixelRatio(1);
  renderer.setSize(camera.width, camera.height, false);
  renderer.setClearColor(0x1a1a1a, 1); // hex is sRGB: the 0.1 grey our player clears to
  const threeCamera = threeCameraFromSplatCamera(camera);
  // The viewer takes the render size from its root element's offsetWidth/Height: a div of exactly
  // the canvas size, in the page (laid out) but not painted.
  const rootElement = document.createElement('div');
  rootElement.style.cssText = `position:absolute;left:0;top:0;width:${camera.width}px;height:${camera.height}px;visibility:hidden`;
  rootElement.appendChild(canvas);
  document.body.appendChild(rootElement);
  const viewer = new Viewer({
    selfDrivenMode: false,
    renderer,
    camera: threeCamera,
    rootElement,
    useBuiltInControls: false,
    ignoreDevicePixelRatio: true,
    sharedMemoryForWorkers: false, // the test page is not cross-origin isolated: no SharedArrayBuffer
    gpuAcceleratedSort: false,
    sphericalHarmonicsDegree: 0,
    sceneRevealMode: SceneRevealMode.Instant,
  });
  const url = URL.createObjectURL(new Blob([ply as BlobPart], { type: 'application/octet-stream' }));
  try {
    await viewer.addSplatScene(url, { format: SceneFormat.Ply, showLoadingUI: false, progressiveLoad: false, splatAlphaRemovalThreshold: 0 });
  } finally {
    URL.revokeObjectURL(url);
  }
  const gl = renderer.getContext();
  const pixel = new Uint8Array(4);
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const glRenderer = debugInfo ? gl.getParameter(debugInfo.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);

  const sort = async () => {
    while (viewer.sortRunning) await new Promise((r) => setTimeout(r, 5));
    const done = new Promise<void>((resolve) => viewer.runAfterNextSort.push(resolve));
    await viewer.runSplatSort(true, true);
    await done;
  };
  const draw = () => {
    viewer.update();
    viewer.render();
  };
  await sort();

  return {
    description: `${glRenderer} (three r${THREE.REVISION}, gaussian-splats-3d)`,
    get lastSortMs() {
      return viewer.lastSortTime as number;
    },
    canvas,
    async setCamera(next: SplatCamera) {
      const moved = threeCameraFromSplatCamera(next);
      threeCamera.position.copy(moved.position);
      threeCamera.quaternion.copy(moved.quaternion);
      threeCamera.updateMatrixWorld(true);
      await sort();
    },
    renderFrame() {
      const t0 = performance.now();
      draw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel); // waits for the GPU
      return performance.now() - t0;
    },
    sort,
    snapshot() {
      draw();
      return canvas.toDataURL('image/png'); // same task as the draw: the drawing buffer is still there
    },
    async dispose() {
      await viewer.dispose();
      renderer.dispose();
      rootElement.remove();
    },
  };
}
