// `npm start`: serves the repository root on localhost (the demo at /demo/) with correct MIME
// types, and prints the URL. Only files under this folder are served.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const port = Number(process.env.PORT ?? 8080);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.bin': 'application/octet-stream', '.npz': 'application/octet-stream', '.bvh': 'text/plain', '.gavatar': 'application/octet-stream',
  '.map': 'application/json', '.tflite': 'application/octet-stream', '.data': 'application/octet-stream',
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!path.startsWith(normalize(root)) ) { res.writeHead(403).end(); return; }
  if (url.pathname === '/') { res.writeHead(302, { location: '/demo/' }).end(); return; }
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (!existsSync(path) || path.split(sep).includes('.git')) { res.writeHead(404).end('not found'); return; }
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  createReadStream(path).pipe(res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`gaussian-avatar demo: http://localhost:${port}/demo/`);
});
