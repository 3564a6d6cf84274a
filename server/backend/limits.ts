// The limits of each environment profile, in one table: the backend enforces them, /ws/config and
// connection_established report them.
import type { Profile } from '../../$shared/protocol';
import type { Limits } from '../../$shared/wire';

export const PROFILE_LIMITS: Record<Profile, Limits> = {
  development: { messages_per_minute: 300, heartbeat_interval_ms: 45_000, max_connections_per_user: 3, max_message_bytes: 8 * 1024 },
  staging: { messages_per_minute: 100, heartbeat_interval_ms: 30_000, max_connections_per_user: 3, max_message_bytes: 8 * 1024 },
  production: { messages_per_minute: 30, heartbeat_interval_ms: 25_000, max_connections_per_user: 3, max_message_bytes: 8 * 1024 },
};

export const PROFILES = Object.keys(PROFILE_LIMITS) as Profile[];

/** A profile's limits, with the heartbeat interval overridden (tests use a short one). */
export function limitsFor(profile: Profile, heartbeatMs?: number): Limits {
  const base = PROFILE_LIMITS[profile];
  return heartbeatMs === undefined ? { ...base } : { ...base, heartbeat_interval_ms: heartbeatMs };
}
