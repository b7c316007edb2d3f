import type { Queryable } from './db.js'

export interface Hits {
  /** Hits in the current window, this one included. */
  readonly hits: number
  readonly resetsAt: Date
}

/**
 * Hit counts for rate limits, kept in PostgreSQL so that every API process counts the same
 * hits: a limit of N a minute is N for the deployment, not N per task. A window starts at a
 * key's first hit and lasts `windowMs`; each statement is atomic, so concurrent hits from any
 * number of processes are each counted once.
 */
export class RateLimitRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Counts one hit for `key`, in a new window when its last one has ended. Each hit also deletes
   * up to two other keys whose window ended, so the table holds about as many rows as there are
   * clients within a window, with no timer and no sweep to run.
   */
  async hit(key: string, windowMs: number): Promise<Hits> {
    const { rows } = await this.db.query<{ hits: number; resets_at: Date }>(
      `WITH ended AS (
         DELETE FROM rate_limit_hits WHERE key IN (
           SELECT key FROM rate_limit_hits WHERE resets_at <= now() AND key <> $1 ORDER BY resets_at LIMIT 2 FOR UPDATE SKIP LOCKED
         )
       )
       INSERT INTO rate_limit_hits AS r (key, hits, resets_at) VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.resets_at <= now() THEN 1 ELSE r.hits + 1 END,
         resets_at = CASE WHEN r.resets_at <= now() THEN excluded.resets_at ELSE r.resets_at END
       RETURNING hits, resets_at`,
      [key, windowMs],
    )
    return { hits: rows[0]!.hits, resetsAt: rows[0]!.resets_at }
  }

  /** Takes back one hit of the current window (a request the limiter was told not to count). */
  async unhit(key: string): Promise<void> {
    await this.db.query('UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0) WHERE key = $1 AND resets_at > now()', [key])
  }

  async reset(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_hits WHERE key = $1', [key])
  }
}
