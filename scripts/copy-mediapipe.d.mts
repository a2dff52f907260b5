// Types of scripts/copy-mediapipe.mjs (for the node test that imports it).
export declare const MEDIAPIPE_FILES: string[];
export declare function copyMediaPipeFiles(outDir: string): string;
export declare function copyMediaPipe(): {
  name: string;
  resolveImportMeta(property: string | null, meta: { chunkId: string; moduleId: string }): string | null;
  writeBundle(options: { dir?: string; file?: string }): void;
};
