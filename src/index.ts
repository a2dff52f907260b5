/** `gaussian-avatar`: the browser SDK. */
export * from './errors.js';
export * from './body/index.js';
