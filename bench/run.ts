/**
 * `npm run bench`: every benchmark, its figures printed as they come and written, beside their
 * goals, to RESULTS.md and results.json in bench/out/, which git ignores: anyone may run it
 * without changing the repository. `-- --record` writes them to bench/ instead, the figures the
 * docs/benchmarks.md quotes. `-- --only synth,api` runs some and replaces only their figures; the others'
 * stay as they were, with the date they were taken.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Command } from 'commander'
import { ROOT } from '../scripts/lib/paths.js'
import { benchApi } from './api.js'
import { benchIdle } from './idle.js'
import { benchLargest } from './largest.js'
import { decimals, formatFigure, machine, met, resultsDir, type Figure } from './lib/report.js'
import { benchLocal } from './local.js'
import { benchOriginal } from './original.js'
import { benchPipeline } from './pipeline.js'
import { benchSoak } from './soak.js'
import { benchStart } from './start.js'
import { benchSynth } from './synth.js'

const log = (line: string) => console.log(line)
const BENCHMARKS: Record<string, () => Promise<Figure[]>> = {
  synth: async () => benchSynth(),
  pipeline: () => benchPipeline({ log }),
  largest: () => benchLargest(log),
  idle: () => benchIdle(2, log),
  api: () => benchApi(10, log),
  local: () => benchLocal(50, log),
  original: () => benchOriginal({ log }),
  start: () => benchStart(5, log),
  soak: () => benchSoak(10, log),
}

const { only, record, out } = new Command('bench')
  .option('--only <names>', `comma-separated, of ${Object.keys(BENCHMARKS).join(', ')}`, (v) => v.split(','))
  .option('--record', "write to bench/RESULTS.md and bench/results.json, the repository's record, instead of bench/out/")
  .option('--out <dir>', 'write to this folder instead of bench/out/')
  .parse()
  .opts<{ only?: string[]; record?: boolean; out?: string }>()
const selected = only ?? Object.keys(BENCHMARKS)
const unknown = selected.filter((name) => !(name in BENCHMARKS))
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; the benchmarks are ${Object.keys(BENCHMARKS).join(', ')}`)
  process.exit(2)
}

if (record && out) {
  console.error('--record writes to bench/; give --out or --record, not both')
  process.exit(2)
}
const OUT_DIR = resultsDir({ record, out })
mkdirSync(OUT_DIR, { recursive: true })
const RESULTS_JSON = join(OUT_DIR, 'results.json')
const RESULTS_MD = join(OUT_DIR, 'RESULTS.md')
/** Figures taken before and after a change, kept by hand (they come from two checkouts), copied in as they are. */
const HISTORY = join(ROOT, 'bench', 'history.md')
/** A figure as written: the day it was taken and on what (CPU and Node), since `--only` keeps older ones. */
type Written = Figure & { taken?: string; on?: string }
type Host = ReturnType<typeof machine>
const onHost = (host: Host) => `${host.cpu}, Node ${host.node}`
/**
 * The figures written before. One from before figures said what they were taken on is known to
 * be the header machine's only when it was taken the day that machine last wrote the file.
 */
function readPrevious(): Written[] {
  if (!existsSync(RESULTS_JSON)) return []
  const recorded = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as { machine: Host; figures: Written[] }
  const lastWritten = recorded.machine.date.slice(0, 10)
  return recorded.figures.map((f) => ({ ...f, on: f.on ?? (f.taken === lastWritten ? onHost(recorded.machine) : undefined) }))
}
const previous = readPrevious()

const host = machine()
console.log(`Benchmarks on ${host.cpu}, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}, ${host.postgres}`)
const fresh: Figure[] = []
for (const name of selected) {
  console.log(`\n${name}`)
  const results = (await BENCHMARKS[name]!()).map((figure) => ({ ...figure, source: name }))
  for (const figure of results) console.log(`  ${formatFigure(figure)}`)
  fresh.push(...results)
}
// Each figure remembers which benchmark made it, so a partial run keeps the rest in their order.
const today = host.date.slice(0, 10)
const figures: Written[] = Object.keys(BENCHMARKS).flatMap((name) =>
  selected.includes(name) ? fresh.filter((f) => f.source === name).map((f) => ({ ...f, taken: today, on: onHost(host) })) : previous.filter((f) => f.source === name),
)

const round = (value: number) => Number(value.toFixed(decimals(value)))
writeFileSync(RESULTS_JSON, `${JSON.stringify({ machine: host, figures: figures.map((f) => ({ ...f, value: round(f.value), met: met(f) })) }, null, 2)}\n`)
const rows = figures.map((f) => {
  const goal = f.goal ? `${f.goal.op} ${f.goal.value} ${f.unit}` : ''
  const verdict = f.goal ? (met(f) ? 'met' : '**missed**') : ''
  return `| ${f.benchmark} | ${f.what}${f.detail ? ` (${f.detail})` : ''} | ${f.database ?? ''} | ${round(f.value)} ${f.unit} | ${goal} | ${verdict} | ${f.taken ?? ''} | ${f.on ?? ''} |`
})
writeFileSync(
  RESULTS_MD,
  `# Benchmark results

Written by \`npm run bench${record ? ' -- --record' : ''}\`; \`--only\` retakes some and keeps the others, so each
figure says the day and the machine it was taken on. The latest run: ${host.cpu}, ${host.memoryGiB} GiB,
${host.os}, Node ${host.node}, ${host.postgres}. Every process (load generator, API, worker, SQS
emulator, PostgreSQL) shares the machine's cores, so figures are lower bounds for a real deployment.
PostgreSQL is the server npm start runs, of RDS's major version.

| benchmark | what | database | figure | goal | | taken | on |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
${existsSync(HISTORY) ? `\n## Before and after\n\n${readFileSync(HISTORY, 'utf8')}` : ''}`,
)
const missed = figures.filter((f) => !met(f))
const shown = (path: string) => (relative(ROOT, path).startsWith('..') ? path : relative(ROOT, path))
console.log(`\n${figures.length - missed.length} of ${figures.length} figures meet their goals; written to ${shown(RESULTS_MD)} and ${shown(RESULTS_JSON)}`)
if (!record) console.log("(`npm run bench -- --record` writes them to bench/ instead, the repository's record that docs/benchmarks.md quotes)")
