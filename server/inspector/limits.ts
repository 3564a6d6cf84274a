// The recorder's memory bounds (documented in the README): oldest out first, with a dropped counter per
// connection and overall, so a flood keeps the newest frames and the daemon's memory stays flat.
export interface RecorderLimits {
  /** Connections kept (open and recent); the oldest closed one goes first. */
  connections: number;
  /** Frames kept per connection. */
  framesPerConnection: number;
  /** Payload bytes kept per connection. */
  bytesPerConnection: number;
  /** Payload bytes kept across all connections. */
  totalBytes: number;
  /** A frame's text (or binary payload) is cut past this many bytes; its full size is still recorded. */
  textPerFrame: number;
}

export const DEFAULT_RECORDER_LIMITS: RecorderLimits = {
  connections: 500,
  framesPerConnection: 2_000,
  bytesPerConnection: 4 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024,
  textPerFrame: 64 * 1024,
};
