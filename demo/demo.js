// The demo page: <gaussian-avatar> (defined by the one-file bundle, loaded in index.html) plus a
// few page controls built on its properties, methods and events. The page itself only reads the
// files the user picks and the bundled motions it names.
import {
  createDefaultAvatar, exportPly, loadAvatar, parseMotion, sampleMotion, GaussianAvatarError,
} from '../dist/gaussian-avatar.min.js';

const el = document.getElementById('avatar');
const statusLine = document.getElementById('status');
const playPause = document.getElementById('play-pause');
const scrub = document.getElementById('scrub');
const timeOut = document.getElementById('time');
const fpsOut = document.getElementById('fps');
const motionSelect = document.getElementById('motion-select');
const veil = document.getElementById('drop-veil');

const webgpuStatus = document.getElementById('webgpu-status');
function showWebGpuMissing() {
  webgpuStatus.textContent =
    'WebGPU is not available in this browser, so the avatar cannot be shown here. ' +
    'Use a recent Chrome or Edge (or Safari / Firefox with WebGPU enabled).';
  webgpuStatus.classList.add('missing');
}
if (!('gpu' in navigator) || !navigator.gpu) showWebGpuMissing();

function say(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
}

// What is on screen, kept here for "Export PLY" (the element renders in a worker, which holds its own copy).
let avatarBytes = null; // null = the default avatar (or the fitted one, below)
let fittedAvatar = null; // the avatar of the last fit, while it is the one shown (the page's: never disposed)
let motion = null; // null until the first motion is read
let motionUrl = motionSelect.value;
/** Motions that are not bundled files (opened, dropped, fitted), by their option value. */
const loadedMotions = new Map();

async function readBundledMotion(url) {
  motionUrl = url;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  motion = parseMotion(new Uint8Array(await response.arrayBuffer()));
}

/** Lists a motion that is not a bundled file in the motion picker and selects it, so the list shows what plays. */
function showLoadedMotion(label, loaded) {
  const value = `loaded:${label}`;
  loadedMotions.set(value, loaded);
  let option = [...motionSelect.options].find((o) => o.value === value);
  if (!option) {
    option = new Option(label, value);
    motionSelect.add(option);
  }
  motionSelect.value = value;
  motion = loaded;
}

// ---- element events -----------------------------------------------------------------------

el.addEventListener('load', () => say(avatarBytes ? 'Avatar loaded.' : 'Default avatar loaded.'));
el.addEventListener('progress', (e) => {
  if (e.detail.fraction < 1) say(`Loading… ${Math.round(e.detail.fraction * 100)} %`);
});
el.addEventListener('error', (e) => {
  e.preventDefault(); // shown in the page instead of the console
  const { error } = e.detail;
  say(`${error instanceof GaussianAvatarError ? error.name : 'Error'}: ${error.message}`, true);
  if (error.name === 'WebGPUUnavailableError') showWebGpuMissing(); // e.g. WebGPU present but no adapter
});
el.addEventListener('play', () => (playPause.textContent = 'Pause'));
el.addEventListener('pause', () => (playPause.textContent = 'Play'));

let frames = 0;
let scrubbing = false;
el.addEventListener('timeupdate', (e) => {
  frames++;
  if (!scrubbing) showTime(e.detail.currentTime, e.detail.duration);
});
setInterval(() => {
  fpsOut.textContent = el.paused ? 'paused' : `${frames} fps`;
  frames = 0;
}, 1000);

function showTime(t, duration) {
  scrub.max = String(duration || 1);
  scrub.value = String(t);
  timeOut.textContent = `${t.toFixed(2)} s`;
}

// ---- page controls ------------------------------------------------------------------------

playPause.addEventListener('click', () => (el.paused ? el.play() : el.pause()));
scrub.addEventListener('pointerdown', () => (scrubbing = true));
scrub.addEventListener('pointerup', () => (scrubbing = false));
scrub.addEventListener('input', () => {
  el.pause();
  el.currentTime = Number(scrub.value);
  timeOut.textContent = `${Number(scrub.value).toFixed(2)} s`;
});
document.getElementById('speed').addEventListener('change', (e) => (el.playbackRate = Number(e.target.value)));
motionSelect.addEventListener('change', () => {
  const loaded = loadedMotions.get(motionSelect.value);
  if (loaded) {
    motion = loaded;
    el.loadMotion(loaded).then(() => el.play()).catch((e) => say(e.message, true));
    return;
  }
  el.motion = motionSelect.value; // the element fetches it
  readBundledMotion(motionSelect.value).catch((e) => say(e.message, true));
});

document.getElementById('export-ply').addEventListener('click', async () => {
  try {
    say('Exporting…');
    if (!motion) await readBundledMotion(motionUrl);
    const avatar = fittedAvatar ?? (avatarBytes ? await loadAvatar(avatarBytes) : await createDefaultAvatar());
    try {
      const { pose, trans } = sampleMotion(motion, el.currentTime, { loop: el.loop });
      const ply = exportPly(avatar, { pose, trans });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([ply], { type: 'application/octet-stream' }));
      link.download = `avatar-${el.currentTime.toFixed(2)}s.ply`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say(`Exported ${avatar.gaussians.count.toLocaleString()} Gaussians at ${el.currentTime.toFixed(2)} s.`);
    } finally {
      if (avatar !== fittedAvatar) avatar.body.dispose();
    }
  } catch (e) {
    say(`Export failed: ${e.message}`, true);
  }
});

// ---- files: drop anywhere, or pick one --------------------------------------------------------

async function openFile(file) {
  const name = file.name.toLowerCase();
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    if (name.endsWith('.gavatar')) {
      say(`Loading ${file.name}…`);
      await el.loadAvatar(bytes);
      avatarBytes = bytes;
      fittedAvatar = null;
      say(`Playing ${file.name}.`);
    } else if (/\.(npz|bvh|json)$/.test(name)) {
      const next = parseMotion(bytes); // typed errors name what is wrong with the file
      await el.loadMotion(next);
      showLoadedMotion(file.name, next);
      el.play();
      say(`Playing ${file.name}: ${next.frameCount} frames at ${next.fps} fps.`);
    } else {
      say(`${file.name}: expected a motion (.npz, .bvh, .json) or an avatar (.gavatar)`, true);
    }
  } catch (e) {
    say(`${file.name}: ${e.message}`, true);
  }
}

document.getElementById('file-input').addEventListener('change', (e) => {
  const [file] = e.target.files;
  if (file) openFile(file);
  e.target.value = '';
});
let dragDepth = 0;
addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  veil.hidden = false;
});
addEventListener('dragleave', () => {
  if (--dragDepth <= 0) veil.hidden = true;
});
addEventListener('dragover', (e) => e.preventDefault());
addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  veil.hidden = true;
  const [file] = e.dataTransfer.files;
  if (file) openFile(file);
});

// ---- fit from video: the element's own fit mode (record or pick a file, progress, preview, save, play) ----

const tabs = { playback: document.getElementById('tab-playback'), fit: document.getElementById('tab-fit') };
const panels = { playback: document.getElementById('playback-panel'), fit: document.getElementById('fit-panel') };
let fitted = null; // the last FitResult

function showTab(mode) {
  for (const name of ['playback', 'fit']) {
    tabs[name].setAttribute('aria-selected', String(name === mode));
    panels[name].hidden = name !== mode;
  }
}
tabs.playback.addEventListener('click', () => (el.mode = 'playback'));
tabs.fit.addEventListener('click', () => (el.mode = 'fit'));
// The element's "Play" switches it back to playback by itself: the tabs follow its `mode` attribute.
new MutationObserver(() => showTab(el.mode)).observe(el, { attributes: true, attributeFilter: ['mode'] });

el.addEventListener('fitprogress', (e) => {
  say(`Fitting: ${e.detail.phase} ${Math.round(e.detail.fraction * 100)} %${e.detail.loss !== undefined ? `, loss ${e.detail.loss.toFixed(4)}` : ''}`);
});
el.addEventListener('fitcomplete', (e) => {
  fitted = e.detail.result;
  say(`Fitted: ${fitted.avatar.gaussians.count.toLocaleString()} Gaussians, a motion of ${fitted.motion.frameCount} frames. Save, download the motion, or Play.`);
});
el.addEventListener('load', () => {
  if (!fitted || el.avatar !== fitted.avatar) return;
  // "Play" after a fit: the fitted avatar under its own motion.
  fittedAvatar = fitted.avatar;
  avatarBytes = null;
  showLoadedMotion('fitted (your video)', fitted.motion);
  say('Playing your avatar under the motion fitted from your video.');
});

readBundledMotion(motionUrl).catch((e) => say(e.message, true));
