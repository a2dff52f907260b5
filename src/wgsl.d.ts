/** WGSL sources are imported as strings (rollup and web-test-runner plugins in this repo). */
declare module '*.wgsl' {
  const source: string;
  export default source;
}
