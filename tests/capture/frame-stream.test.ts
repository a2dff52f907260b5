import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFrameStream } from '../../src/capture/frame-stream.js';
import type { CapturedFrame } from '../../src/capture/types.js';

const frame = (index: number) => ({ index, timestamp: index / 10, image: {} as ImageData }) as CapturedFrame;

async function readAll(stream: AsyncIterable<CapturedFrame>): Promise<number[]> {
  const seen: number[] = [];
  for await (const f of stream) seen.push(f.index);
  return seen;
}

test('frame stream: the reader gets frames pushed before and while it waits, in order, and stops at end()', async () => {
  const stream = createFrameStream();
  stream.push(frame(0));
  const reading = readAll(stream);
  await new Promise((r) => setTimeout(r, 5));
  stream.push(frame(1));
  stream.push(frame(2));
  await new Promise((r) => setTimeout(r, 5));
  stream.end();
  stream.push(frame(3)); // after end: ignored
  assert.deepEqual(await reading, [0, 1, 2]);
});

test('frame stream: fail() throws its error in the reader after the frames queued', async () => {
  const stream = createFrameStream();
  const seen: number[] = [];
  const reading = (async () => {
    for await (const f of stream) seen.push(f.index);
  })();
  stream.push(frame(0));
  stream.fail(new Error('decoder stuck'));
  await assert.rejects(reading, /decoder stuck/);
  assert.deepEqual(seen, [0]);
});

test('frame stream: a stream ended with nothing gives an empty loop', async () => {
  const stream = createFrameStream();
  stream.end();
  assert.deepEqual(await readAll(stream), []);
});
