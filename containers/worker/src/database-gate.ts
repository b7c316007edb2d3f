import { isDatabaseUnavailable, type Logger, type Queryable } from '@taskoverflow/shared'

/**
 * Holds the worker's polling while the database is down. Without it, every message received
 * during an outage would fail and use up one of its limited receives, and a long outage would
 * push healthy jobs into the dead-letter queue.
 */
export class DatabaseGate {
  private down = false
  private closed = false

  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
    private readonly probeIntervalMs = 1_000,
  ) {}

  /** Call with any handler error; only "database unavailable" errors close the gate. */
  report(err: unknown): void {
    if (!this.down && isDatabaseUnavailable(err)) {
      this.down = true
      this.logger.warn({ err: (err as Error).message }, 'database unavailable; pausing the queue until it is back')
    }
  }

  /** Resolves at once when the database is up; otherwise when a probe succeeds or the gate is closed. */
  async waitUntilUp(): Promise<void> {
    while (this.down && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, this.probeIntervalMs))
      try {
        await this.db.query('SELECT 1')
        this.down = false
        this.logger.info('database is back; resuming the queue')
      } catch {
        // still down: probe again
      }
    }
  }

  close(): void {
    this.closed = true
  }
}
