/**
 * Types of the capture stage of fit mode: frames from a video file or a webcam, then per-frame
 * pose keypoints and a person mask. Images are row-major, top row first; pixel coordinates have
 * x right, y down, pixel centres at +0.5 (the image's top-left corner is (0, 0)).
 */

/** One decoded frame. */
export interface CapturedFrame {
  /** Position in the returned sequence, 0…n−1. */
  index: number;
  /**
   * Time of the frame in seconds. Video files: the decoded frame's presentation time in the file
   * (its `mediaTime`; the sample time where the browser does not report it); camera: since the
   * first kept frame.
   */
  timestamp: number;
  /** The pixels, RGBA 8-bit, `image.width × image.height`, row-major, top row first. */
  image: ImageData;
}

/** Progress of a long capture or detection step: `done` of `total` items (frames). */
export interface CaptureProgress {
  phase: 'decode' | 'record' | 'pose';
  done: number;
  total: number;
}

/** Output size of captured frames. */
export interface FrameSizeOptions {
  /**
   * Longest side of the output frames in pixels; frames are scaled down (never up) keeping their
   * aspect ratio. Default 512.
   */
  maxSize?: number;
}

export interface VideoFramesOptions extends FrameSizeOptions {
  /** How many frames to return, evenly spread over [start, end). Default 30. */
  frameCount?: number;
  /** Start of the span to sample, seconds. Default 0. */
  start?: number;
  /** End of the span to sample, seconds. Default: the video's duration. */
  end?: number;
  /** Cancels decoding: the call rejects with AbortError and leaves the element as it found it. */
  signal?: AbortSignal;
  /** Called after each decoded frame. */
  onProgress?: (progress: CaptureProgress) => void;
  /** Called with each frame as soon as it is decoded (before the call resolves with all of them). */
  onFrame?: (frame: CapturedFrame) => void;
}

/** Frames sampled from a video, with what was sampled from. */
export interface VideoFrames {
  frames: CapturedFrame[];
  /** The video's native size in pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** The video's duration in seconds. */
  duration: number;
}

export interface CameraRecorderOptions extends FrameSizeOptions {
  /**
   * A stream to record from. Without one the recorder asks `navigator.mediaDevices.getUserMedia`
   * for a camera (and stops its tracks when recording stops).
   */
  stream?: MediaStream;
  /** Camera constraints asked for when no stream is given. Default `{ width: 640, height: 480, facingMode: 'user' }`. */
  video?: MediaTrackConstraints;
  /** Frames kept per second of recording (frames arriving faster are skipped). Default 10. */
  fps?: number;
  /** Recording stops by itself after this many kept frames. Default 300. */
  maxFrames?: number;
  /** Stops recording and rejects `frames` with AbortError. */
  signal?: AbortSignal;
  /** Called after each kept frame (`total` = maxFrames). */
  onProgress?: (progress: CaptureProgress) => void;
}

/** Landmarks per frame: MediaPipe Pose's 33 (nose 0, shoulders 11/12, hips 23/24, …, foot index 31/32). */
export const POSE_LANDMARK_COUNT = 33;

/** Pose detection result for one frame with a person. */
export interface PoseFrame {
  /** Index of the input frame this came from. */
  frameIndex: number;
  /** The input frame's timestamp in seconds. */
  timestamp: number;
  /** Image size in pixels. */
  width: number;
  height: number;
  /**
   * Float32Array(33×3): per landmark x, y in pixels (x right, y down, image corner at 0, pixel
   * centres at +0.5; may lie outside the image for occluded points) and visibility 0…1.
   */
  keypoints: Float32Array;
  /**
   * Float32Array(33×4): per landmark x, y, z in metres and visibility 0…1 — MediaPipe's world
   * landmarks: origin midway between the hips, axes as the camera's image (x right, y down, z away
   * from the camera).
   */
  worldLandmarks: Float32Array;
  /**
   * Person mask, Uint8Array(width×height), row-major, top row first: 0 = background … 255 =
   * person (MediaPipe's segmentation confidence × 255). Absent when segmentation is off.
   */
  mask?: Uint8Array;
}

/** Pose detections over a frame sequence. */
export interface PoseDetections {
  /** Frames where a person was found, in input order. */
  frames: PoseFrame[];
  /** Indices of input frames with no person (dropped). */
  droppedFrames: number[];
}

export interface PoseDetectorOptions {
  /**
   * Base URL of MediaPipe Pose's model and WASM files (copied from `@mediapipe/pose` into
   * `dist/mediapipe/` by the build). Default: `mediapipe/` next to the SDK module. Files are loaded
   * only from here; nothing else is fetched.
   */
  baseUrl?: string | URL;
  /** 0 = lite, 1 = full (default). The heavy model is not shipped. */
  modelComplexity?: 0 | 1;
  /** Compute the person mask. Default true. */
  enableSegmentation?: boolean;
  /** Minimum person-detection confidence 0…1. Default 0.5. */
  minDetectionConfidence?: number;
  /** Minimum landmark-tracking confidence 0…1 (lower: track, higher: re-detect each frame). Default 0.5. */
  minTrackingConfidence?: number;
  /**
   * Treat each frame as an unrelated image (re-detect the person every frame) rather than as a
   * video where the person is tracked from frame to frame. Default false.
   */
  independentFrames?: boolean;
  /** Run the neural networks on the CPU (WASM) instead of WebGL. Default true (faster where WebGL is emulated). */
  useCpuInference?: boolean;
}

export interface DetectPosesOptions extends PoseDetectorOptions {
  /** Cancels detection: rejects with AbortError. */
  signal?: AbortSignal;
  /** Called after each frame. */
  onProgress?: (progress: CaptureProgress) => void;
}
