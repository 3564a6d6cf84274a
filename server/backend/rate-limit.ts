// Messages per user per minute (sliding window): every frame a user sends on any of their connections
// counts; over the profile's limit, the frame is dropped and the client told.
const ALLOWED = { allowed: true } as const;

export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly perMinute: number, private readonly windowMs = 60_000) {}

  /** Records one message; returns how long until the next would be allowed when it must be dropped. */
  take(userId: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterMs: number } {
    let times = this.recent.get(userId);
    if (!times) this.recent.set(userId, (times = []));
    // Oldest first: drop what left the window, in place (this runs for every frame).
    while (times.length > 0 && now - times[0]! >= this.windowMs) times.shift();
    if (times.length >= this.perMinute) return { allowed: false, retryAfterMs: this.windowMs - (now - times[0]!) };
    times.push(now);
    return ALLOWED;
  }

  /** Frees a user's window when their last connection closes, unless it still counts (reconnecting resets nothing). */
  release(userId: string, now = Date.now()): void {
    const times = this.recent.get(userId);
    if (times && !times.some((t) => now - t < this.windowMs)) this.recent.delete(userId);
  }
}
