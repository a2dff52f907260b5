// Finds the Chromium used by browser tests, the bench and screenshots: $CHROME_PATH, else
// Debian's `chromium` on PATH. Browser downloads (puppeteer/playwright) do not work offline.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} does not exist. Install Chromium: apt-get install -y chromium`);
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on PATH; try the next name
    }
  }
  throw new Error('No Chromium found: install it with `apt-get install -y chromium` or set CHROME_PATH.');
}

/** Flags that give headless Chromium WebGPU on SwiftShader (compute and canvas) with no network. */
export const WEBGPU_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];
