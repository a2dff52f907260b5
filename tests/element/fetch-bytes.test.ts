// The element's downloads under an input limit, against a local HTTP server that produces a 149 MB
// body on the fly (nothing large on disk or in memory): refused from Content-Length before the body
// is read, and, without Content-Length, stopped as soon as the bytes received pass the limit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fetchBytes } from '../../components/fetch-bytes.js';
import { AvatarInputError, InputTooLargeError } from '../../src/errors.js';
import { resolveInputLimits } from '../../src/io/input-limits.js';

const MiB = 2 ** 20;
const BODY_BYTES = 149 * MiB;
const CHUNK = MiB;

describe('fetchBytes: a 149 MB body under the 64 MiB motion limit', () => {
  let server: Server;
  let base: string;
  /** Bytes the server had produced for the last request when its response closed. */
  let produced = 0;
  let closed: Promise<void> = Promise.resolve();

  before(async () => {
    server = createServer((request, response) => {
      const withLength = request.url === '/with-length';
      response.writeHead(200, { 'content-type': 'text/plain', ...(withLength ? { 'content-length': String(BODY_BYTES) } : {}) });
      produced = 0;
      let done!: () => void;
      closed = new Promise((resolve) => (done = resolve));
      response.on('close', () => done());
      // Pulled chunk by chunk: the server produces only what the client reads (plus socket buffers).
      const chunk = new Uint8Array(CHUNK).fill(0x31);
      Readable.from((function* () {
        for (; produced < BODY_BYTES; produced += CHUNK) yield chunk;
      })()).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const limit = { limits: resolveInputLimits(undefined), option: 'maxMotionBytes' as const };

  it('with Content-Length: refused before the body is read', async () => {
    const url = `${base}/with-length`;
    await assert.rejects(fetchBytes(url, 'motion', { limit }), (e: Error) =>
      e instanceof InputTooLargeError &&
      e.message === `motion: "${url}": 156237824 bytes (149 MiB), above the limit of 67108864 bytes (64 MiB) (raise it with limits.maxMotionBytes)`);
    await closed;
    assert.ok(produced < 32 * MiB, `the server produced ${produced / MiB} MiB before the client went`);
  });

  it('without Content-Length: the download stops once 64 MiB have passed', async () => {
    const url = `${base}/streamed`;
    await assert.rejects(fetchBytes(url, 'motion', { limit }), (e: Error) =>
      // How far past the limit the read got depends on the socket's chunks: a few bytes past prints as "(64 MiB)".
      e instanceof InputTooLargeError && new RegExp(`^motion: "${url}": \\d+ bytes \\(64(\\.\\d+)? MiB\\), above the limit of 67108864 bytes`).test(e.message) &&
      Number(/: (\d+) bytes/.exec(e.message)![1]) > 67108864);
    await closed;
    assert.ok(produced < 100 * MiB, `the server produced ${produced / MiB} MiB of 149 before the client went`);
  });

  it('a raised limit reads the whole body; no limit, the same', async () => {
    const bytes = await fetchBytes(`${base}/with-length`, 'motion', { limit: { limits: resolveInputLimits({ maxMotionBytes: BODY_BYTES }), option: 'maxMotionBytes' } });
    assert.equal(bytes.length, BODY_BYTES);
  });

  it('a failed request is still an AvatarInputError', async () => {
    await assert.rejects(fetchBytes(`http://127.0.0.1:1/none`, 'motion', { limit }), AvatarInputError);
  });
});
