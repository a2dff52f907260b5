// Imports `*.wgsl` files as JS string modules, for rollup (build) and web-test-runner (tests).
const toModule = (code) => `export default ${JSON.stringify(code)};`;

/** Rollup plugin. */
export function wgslRollup() {
  return {
    name: 'wgsl',
    transform(code, id) {
      if (id.endsWith('.wgsl')) return { code: toModule(code), map: null };
      return null;
    },
  };
}

/** @web/dev-server plugin (web-test-runner). */
export function wgslDevServer() {
  return {
    name: 'wgsl',
    resolveMimeType(context) {
      if (context.path.endsWith('.wgsl')) return 'js';
      return undefined;
    },
    transform(context) {
      if (context.path.endsWith('.wgsl')) return { body: toModule(context.body) };
      return undefined;
    },
  };
}
