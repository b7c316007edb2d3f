import { pino, type Logger } from 'pino'

export type { Logger }

/** One JSON line per event on stdout, which is what CloudWatch (awslogs) and `npm start` expect. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie'], censor: '***' },
  })
}
