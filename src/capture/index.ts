/**
 * Capture for fit mode: frames from a video file or a webcam, then per-frame MediaPipe Pose
 * keypoints (33 landmarks, pixels + visibility), 3D world landmarks and a person mask — all on this
 * machine.
 */
export type {
  CapturedFrame, CaptureProgress, FrameSizeOptions, VideoFramesOptions, VideoFrames, CameraRecorderOptions,
  PoseFrame, PoseDetections, PoseDetectorOptions, DetectPosesOptions,
} from './types.js';
export { POSE_LANDMARK_COUNT } from './types.js';
export { extractVideoFrames } from './video-frames.js';
export { startCameraRecording, type CameraRecording } from './camera-recorder.js';
export { createPoseDetector, detectPoses, defaultMediaPipeBaseUrl, type PoseDetector, type PoseInputImage } from './mediapipe-pose.js';
