/**
 * The self-contained bundle (`dist/gaussian-avatar.min.js`): the whole SDK with its dependencies
 * inlined, for `<script type="module">` on any static page (no bundler, no import map). Loading
 * it also defines `<gaussian-avatar>`.
 */
export * from './index.js';
export * from './motion/index.js';
export * from '../components/index.js';
