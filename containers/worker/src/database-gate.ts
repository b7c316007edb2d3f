import { classifyDatabaseError, isDatabaseInaccessible, type Logger, type Queryable } from '@taskoverflow/shared'

/**
 * Holds the worker's polling while the database cannot be used: it is down, or it refuses this
 * service's password (or the password cannot be read), as while a rotated secret and the server
 * disagree. Without it, every message received meanwhile would fail and use up one of its
 * limited receives, and a long wait would push healthy jobs into the dead-letter queue.
 */
export class DatabaseGate {
  private down = false
  private closed = false

  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
    private readonly probeIntervalMs = 1_000,
  ) {}

  /** Call with any handler error; only errors that say the database cannot be used close the gate. */
  report(err: unknown): void {
    if (!this.down && isDatabaseInaccessible(err)) {
      this.down = true
      const why = classifyDatabaseError(err) === 'authentication' ? 'the database refused the password, or it could not be read' : 'database unavailable'
      const code = (err as { code?: unknown }).code ?? (err as Error).name
      this.logger.warn({ err: (err as Error).message, code }, `${why}; pausing the queue until it is back`)
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
