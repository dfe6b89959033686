import type { AppLoadContext } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';

export interface RateLimitRule {
  /** How many attempts are allowed per window. */
  limit: number;
  windowMs: number;
}

/** Sign-in attempts: the sixth within a minute is refused. */
export const SIGNIN_RULE: RateLimitRule = { limit: 5, windowMs: 60_000 };

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the next attempt would be allowed (when refused). */
  retryAfter: number;
}

/**
 * Sliding-window estimate from two fixed windows: the previous window's count weighted by how
 * much of it still overlaps the last `windowMs`, plus the current count. Unlike a plain fixed
 * window, it never lets 2 × limit through across a window boundary.
 */
async function estimate(db: Kysely<Database>, key: string, rule: RateLimitRule, now: number): Promise<{ value: number; current: number }> {
  const current = Math.floor(now / rule.windowMs) * rule.windowMs;
  const rows = await db
    .selectFrom('rate_limits')
    .select(['window_start', 'count'])
    .where('key', '=', key)
    .where('window_start', 'in', [current, current - rule.windowMs])
    .execute();
  const count = (start: number) => Number(rows.find((r) => Number(r.window_start) === start)?.count ?? 0);
  const overlap = 1 - (now - current) / rule.windowMs;
  return { value: count(current - rule.windowMs) * overlap + count(current), current };
}

function result(value: number, rule: RateLimitRule, now: number): RateLimitResult {
  const allowed = value <= rule.limit;
  return { allowed, retryAfter: allowed ? 0 : Math.max(1, Math.ceil((rule.windowMs - (now % rule.windowMs)) / 1000)) };
}

/** Counts one attempt under `key` and says whether it is within the limit. State lives in the database, shared by all instances. */
export async function hitRateLimit(db: Kysely<Database>, key: string, rule: RateLimitRule = SIGNIN_RULE, now = Date.now()): Promise<RateLimitResult> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })))
    .execute();
  return result((await estimate(db, key, rule, now)).value, rule, now);
}

/** Whether one more attempt under `key` would be allowed, without counting it (count failures afterwards with hitRateLimit). */
export async function checkRateLimit(db: Kysely<Database>, key: string, rule: RateLimitRule = SIGNIN_RULE, now = Date.now()): Promise<RateLimitResult> {
  return result((await estimate(db, key, rule, now)).value + 1, rule, now);
}

/** Drops counters older than any window in use; run by the job loop. */
export async function pruneRateLimits(db: Kysely<Database>, now = Date.now(), keepMs = 3_600_000): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', now - keepMs).execute();
}

/** The client's IP as Express saw it (app/server.ts puts it in the load context). */
export function clientIp(context: AppLoadContext | undefined): string {
  return (context as { clientIp?: string } | undefined)?.clientIp ?? 'unknown';
}

/** A Swedish 429 page body with Retry-After. */
export function tooManyAttempts(retryAfter: number): Response {
  return new Response('För många försök på kort tid. Vänta en minut och försök igen.', {
    status: 429,
    headers: { 'Retry-After': String(retryAfter), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
