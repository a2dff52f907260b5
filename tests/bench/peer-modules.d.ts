// The playback bench's peer renderer ships no type declarations (and @types/three is not installed): untyped here.
declare module 'three';
declare module '@mkkellogg/gaussian-splats-3d';
