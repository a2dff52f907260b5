// Screenshots the demo page (docs/demo.png) in headless Chromium with WebGPU (SwiftShader where
// there is no GPU), once the avatar has loaded and played for a while. Chromium's own
// --screenshot fires at the page's load event, before the avatar is drawn, so this drives the
// page through the DevTools protocol instead. Serve the repository first (`node scripts/serve.mjs`),
// build dist/ (`npm run build`), then:
//   node --experimental-websocket scripts/screenshot-demo.mjs [url] [out.png] [seconds of play] [--no-webgpu]
// --no-webgpu starts Chromium with WebGPU switched off, to see the page's fallback.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, WEBGPU_FLAGS } from './chromium.mjs';

const noWebGpu = process.argv.includes('--no-webgpu');
process.argv = process.argv.filter((a) => a !== '--no-webgpu');
const url = process.argv[2] ?? 'http://127.0.0.1:8080/demo/';
const out = process.argv[3] ?? new URL('../docs/demo.png', import.meta.url).pathname;
const playSeconds = Number(process.argv[4] ?? 3);
const [width, height] = [980, 700];

const profile = mkdtempSync(join(tmpdir(), 'ga-shot-'));
const flags = noWebGpu ? [...WEBGPU_FLAGS.filter((f) => f !== '--enable-unsafe-webgpu'), '--disable-features=WebGPU'] : WEBGPU_FLAGS;
const chrome = spawn(findChromium(), [...flags, `--user-data-dir=${profile}`, '--remote-debugging-port=0', `--window-size=${width},${height}`, 'about:blank'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  const portFile = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 300 && !existsSync(portFile); i++) await sleep(100);
  const port = readFileSync(portFile, 'utf8').split('\n')[0];
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === 'page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.method === 'Runtime.consoleAPICalled') console.log(`[page ${data.params.type}]`, data.params.args.map((a) => a.value ?? a.description).join(' '));
    if (data.method === 'Runtime.exceptionThrown') console.log('[page exception]', data.params.exceptionDetails.exception?.description);
    if (data.id && pending.has(data.id)) {
      pending.get(data.id)(data);
      pending.delete(data.id);
    }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (data) => (data.error ? reject(new Error(`${method}: ${data.error.message}`)) : resolve(data.result)));
    ws.send(JSON.stringify({ id, method, params }));
  });
  const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }).catch(() => null))?.result?.value;

  await send('Runtime.enable');
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });
  // Wait until the element has played for `playSeconds` of wall time (or the page shows an error).
  const started = Date.now();
  let playingSince = 0;
  for (;;) {
    // Not before the bundle has defined the element: an unupgraded <gaussian-avatar> has no currentTime / paused.
    const state = await evaluate(`(() => { const el = customElements.get('gaussian-avatar') ? document.querySelector('gaussian-avatar') : null; const s = document.getElementById('status');
      return { t: el ? el.currentTime : 0, paused: el ? el.paused : true, status: s ? s.textContent : '', error: s ? s.classList.contains('error') : false }; })()`);
    if (!state) {
      await sleep(250); // the page is still navigating
      continue;
    }
    process.stdout.write(`\rt=${state.t.toFixed(2)} s, ${state.paused ? 'paused' : 'playing'}: ${state.status}   `);
    if (state.error) break;
    if (!state.paused) playingSince ||= Date.now();
    if (playingSince && Date.now() - playingSince > 1000 * playSeconds) break;
    if (Date.now() - started > 240000) throw new Error('the avatar did not play within 240 s');
    await sleep(250);
  }
  const { data } = await send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(out, Buffer.from(data, 'base64'));
  console.log(`\nscreenshot-demo: wrote ${out}`);
  ws.close();
} finally {
  chrome.kill();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}
