/** A WebM (MediaRecorder, VP8) showing `image` for `seconds`: a tiny video clip made in the test. */
export async function recordStillWebm(image: ImageData, seconds: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [image.width, image.height];
  const context = canvas.getContext('2d')!;
  const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  context.putImageData(image, 0, 0);
  recorder.start();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    context.putImageData(image, 0, 0);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  recorder.stop();
  await stopped;
  return new Blob(chunks, { type: 'video/webm' });
}
