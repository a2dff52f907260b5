// web-test-runner middleware for tests of superseded loads: GET /__test__/slow?ms=N&bytes=M answers
// after N ms with M bytes of noise (no avatar or motion format), so a load the element failed to
// abort would end in an 'error' event the test sees.
export async function slowResponse(ctx, next) {
  if (ctx.path !== '/__test__/slow') return next();
  const ms = Math.min(Number(ctx.query.ms ?? 1000), 60000);
  const bytes = Math.min(Number(ctx.query.bytes ?? 4096), 1 << 20);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) body[i] = (i * 2654435761) >>> 24;
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'application/octet-stream';
  ctx.body = body;
}
