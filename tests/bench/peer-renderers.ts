/**
 * The playback bench's peer splat renderers behind one interface, each showing the same 3DGS PLY
 * (exportPly of the avatar, in this project's y-up world, no scene transform) through our camera:
 *   playcanvas-webgpu, playcanvas-webgl2 (PlayCanvas engine, unified gsplat rendering),
 *   spark (Spark on three.js, WebGL 2), gaussian-splats-3d (three.js, WebGL 2; peer-splat-viewer.ts).
 * A frame = the peer's own update + draw, then a wait for its GPU (WebGPU: onSubmittedWorkDone;
 * WebGL 2: a 1×1 readPixels). Peers that sort in a worker (gaussian-splats-3d, Spark, PlayCanvas on
 * WebGL 2) draw with the last finished sort, as they do in an app; `setCamera` waits for it.
 * Used only by tests/bench/playback.browser.bench.ts.
 *
 * Camera: our SplatCamera is OpenCV (view world→camera, column-major; K column-major); three.js
 * and PlayCanvas cameras look down −z with y up, so their camera→world matrix is
 * view⁻¹ · diag(1, −1, −1, 1), and the vertical field of view is 2·atan((h/2) / f_y).
 */
import * as THREE from 'three';
import * as pc from 'playcanvas';
import { SparkRenderer, SplatMesh } from '@sparkjsdev/spark';
import type { SplatCamera } from '../../src/render/raster-types.js';
import { createPeerSplatViewer, threeCameraFromSplatCamera } from './peer-splat-viewer.js';

export type PeerName = 'playcanvas-webgpu' | 'playcanvas-webgl2' | 'spark' | 'gaussian-splats-3d';
export const PEER_NAMES: PeerName[] = ['playcanvas-webgpu', 'playcanvas-webgl2', 'spark', 'gaussian-splats-3d'];

export interface PeerRenderer {
  readonly name: PeerName;
  /** API and renderer string. */
  readonly description: string;
  readonly canvas: HTMLCanvasElement;
  /** Moves the camera and waits until the peer's sort for it (if it sorts off the frame) has finished. */
  setCamera(camera: SplatCamera): Promise<void>;
  /** One frame: update + draw + wait for the GPU; resolves with the wall time in ms. */
  renderFrame(): Promise<number>;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pageCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px;visibility:hidden`;
  document.body.appendChild(canvas);
  return canvas;
}

/** Camera→world of an OpenCV `view`, in three.js / PlayCanvas axes, column-major. */
function cameraToWorld(view: ArrayLike<number>): { toArray(): number[] } {
  const m = new THREE.Matrix4().fromArray(Array.from(view)).invert();
  return m.multiply(new THREE.Matrix4().makeScale(1, -1, -1));
}

const fovYDegrees = (camera: SplatCamera) => (2 * Math.atan(camera.height / 2 / camera.K[4]) * 180) / Math.PI;

async function createPlayCanvas(ply: Uint8Array, camera: SplatCamera, api: 'webgpu' | 'webgl2'): Promise<PeerRenderer> {
  const canvas = pageCanvas(camera.width, camera.height);
  const device = await pc.createGraphicsDevice(canvas, { deviceTypes: [api === 'webgpu' ? pc.DEVICETYPE_WEBGPU : pc.DEVICETYPE_WEBGL2], antialias: false, alpha: false });
  if (device.deviceType !== api) throw new Error(`PlayCanvas gave a ${device.deviceType} device, not ${api}`);
  const options = new pc.AppOptions();
  options.graphicsDevice = device;
  options.componentSystems = [pc.CameraComponentSystem, pc.GSplatComponentSystem];
  options.resourceHandlers = [pc.GSplatHandler];
  const app = new pc.AppBase(canvas);
  app.init(options);
  app.setCanvasFillMode(pc.FILLMODE_NONE, camera.width, camera.height);
  app.setCanvasResolution(pc.RESOLUTION_FIXED, camera.width, camera.height);
  const url = URL.createObjectURL(new Blob([ply as BlobPart], { type: 'application/octet-stream' }));
  const asset = new pc.Asset('avatar', 'gsplat', { url, filename: 'avatar.ply' });
  try {
    await new Promise<void>((resolve, reject) => {
      asset.once('load', () => resolve());
      asset.once('error', (e: unknown) => reject(new Error(`PlayCanvas could not load the PLY: ${e}`)));
      app.assets.add(asset);
      app.assets.load(asset);
    });
  } finally {
    URL.revokeObjectURL(url);
  }
  const splat = new pc.Entity('avatar');
  splat.addComponent('gsplat', { asset });
  app.root.addChild(splat);
  const eye = new pc.Entity('camera');
  eye.addComponent('camera', { clearColor: new pc.Color(0.1, 0.1, 0.1), fov: fovYDegrees(camera), nearClip: camera.near ?? 0.05, farClip: 100 });
  app.root.addChild(eye);
  const wait = api === 'webgpu'
    ? () => (device as unknown as { wgpu: GPUDevice }).wgpu.queue.onSubmittedWorkDone()
    : () => {
      const gl = (device as unknown as { gl: WebGL2RenderingContext }).gl;
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    };
  const frame = async () => {
    const t0 = performance.now();
    app.update(1 / 60);
    app.render();
    await wait();
    return performance.now() - t0;
  };
  const place = (c: SplatCamera) => {
    const m = new pc.Mat4().set(cameraToWorld(c.view).toArray());
    eye.setPosition(m.getTranslation());
    eye.setRotation(new pc.Quat().setFromMat4(m));
  };
  const renderer = api === 'webgpu' ? 'WebGPU' : (() => {
    const gl = (device as unknown as { gl: WebGL2RenderingContext }).gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return `WebGL 2, ${info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)}`;
  })();
  return {
    name: api === 'webgpu' ? 'playcanvas-webgpu' : 'playcanvas-webgl2',
    description: `PlayCanvas ${pc.version} (${renderer})`,
    canvas,
    async setCamera(c) {
      place(c);
      // WebGL 2 sorts in a worker: a few frames and pauses until it has caught up.
      for (let k = 0; k < (api === 'webgpu' ? 1 : 4); k++) {
        await frame();
        if (api !== 'webgpu') await sleep(50);
      }
    },
    renderFrame: frame,
    async dispose() {
      app.destroy();
      canvas.remove();
    },
  };
}

async function createSpark(ply: Uint8Array, camera: SplatCamera): Promise<PeerRenderer> {
  const canvas = pageCanvas(camera.width, camera.height);
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: false });
  renderer.setPixelRatio(1);
  renderer.setSize(camera.width, camera.height, false);
  renderer.setClearColor(0x1a1a1a, 1);
  const scene = new THREE.Scene();
  const spark = new SparkRenderer({ renderer });
  scene.add(spark);
  const mesh = new SplatMesh({ fileBytes: ply.slice().buffer, fileType: 'ply' as never });
  await mesh.initialized;
  scene.add(mesh);
  let three = threeCameraFromSplatCamera(camera);
  const gl = renderer.getContext();
  const frame = async () => {
    const t0 = performance.now();
    renderer.render(scene, three);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    name: 'spark',
    description: `Spark (three r${THREE.REVISION}, WebGL 2, ${info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)})`,
    canvas,
    async setCamera(c) {
      three = threeCameraFromSplatCamera(c);
      // Spark sorts in a worker after a camera change: draw and pause until it has caught up.
      for (let k = 0; k < 4; k++) {
        await frame();
        await sleep(50);
      }
    },
    renderFrame: frame,
    async dispose() {
      mesh.dispose();
      renderer.dispose();
      canvas.remove();
    },
  };
}

async function createGaussianSplats3d(ply: Uint8Array, camera: SplatCamera): Promise<PeerRenderer> {
  const viewer = await createPeerSplatViewer(ply, camera);
  return {
    name: 'gaussian-splats-3d',
    description: viewer.description,
    canvas: viewer.canvas,
    setCamera: (c) => viewer.setCamera(c),
    renderFrame: async () => viewer.renderFrame(),
    dispose: () => viewer.dispose(),
  };
}

/** Creates the named peer on `ply` seen through `camera`. */
export function createPeerRenderer(name: PeerName, ply: Uint8Array, camera: SplatCamera): Promise<PeerRenderer> {
  switch (name) {
    case 'playcanvas-webgpu': return createPlayCanvas(ply, camera, 'webgpu');
    case 'playcanvas-webgl2': return createPlayCanvas(ply, camera, 'webgl2');
    case 'spark': return createSpark(ply, camera);
    case 'gaussian-splats-3d': return createGaussianSplats3d(ply, camera);
  }
}
