import type { DeployConfig } from '../../stacks/config.js'
import { STATE_BUCKET_STACK } from '../../stacks/stack-names.js'
import { estimateCost, type CostEstimate } from './pricing/estimate.js'
import { PRICES_AS_OF } from './pricing/prices.js'
import { synthesizeStacks, type SynthesizedStacks } from '../../stacks/synthesize.js'
import { ROOT } from '../lib/paths.js'

/** What synthesized stacks cost in a region (the state bucket, made once, is left out). */
export function estimateStacks(stacks: SynthesizedStacks, region: string): CostEstimate {
  const app = Object.entries(stacks).filter(([name]) => name !== STATE_BUCKET_STACK)
  return estimateCost(Object.fromEntries(app.map(([name, text]) => [name, JSON.parse(text)])), region)
}

/** What the app's stacks cost with these settings, synthesized for it in this process. */
export function estimateFor(config: DeployConfig): CostEstimate {
  return estimateStacks(synthesizeStacks(config, { projectRoot: ROOT }), config.region)
}

export const dollars = (amount: number, digits = 2) => `$${amount.toFixed(digits)}`

const NO_FIGURE = (region: string) => `an amount this project cannot estimate (its price table has no prices for ${region})`

/** `$0.0872 an hour`, or why there is no figure. */
export function perHour(estimate: CostEstimate): string {
  return estimate.hourly === undefined ? NO_FIGURE(estimate.region) : `${dollars(estimate.hourly, 4)} an hour`
}

/** `$0.0872 an hour ($2.09 a day, $62.78 a 30-day month)`, or why there is no figure. */
export function rate(estimate: CostEstimate): string {
  const { hourly } = estimate
  return hourly === undefined ? perHour(estimate) : `${perHour(estimate)} (${dollars(hourly * 24)} a day, ${dollars(hourly * 24 * 30)} a 30-day month)`
}

/** The estimate as a table a person reads before spending: each billed line, the total, and what is left out of it. */
export function formatEstimate(estimate: CostEstimate): string {
  const rows = estimate.lines.map((line) => [line.stack, line.resource, line.what, String(line.count), dollars(line.each, 5), dollars(line.hourly, 4)])
  const header = ['stack', 'resource', 'what', 'count', 'each an hour', 'an hour']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const pad = (row: string[]) => row.map((cell, i) => (i >= 3 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  // In a region the table lacks there are no rows: the total says why, and what bills is listed below.
  const table = rows.length === 0 ? [] : [`On-demand prices in ${estimate.region}, as of ${PRICES_AS_OF} (scripts/aws/pricing/prices.ts names each price's page):`, '', pad(header), pad(widths.map((width) => '-'.repeat(width))), ...rows.map(pad), '']
  const out = [...table, `Total: ${rate(estimate)}`]
  for (const scaled of estimate.scaling.filter((service) => service.upTo > 0)) {
    out.push(`  ${scaled.stack} ${scaled.resource} may scale to ${scaled.upTo} tasks: each task beyond the count above adds ${dollars(scaled.eachTask, 4)} an hour.`)
  }
  if (estimate.notPriced.length > 0) {
    out.push('', 'Not priced (billed, but missing from the table, so not in the total):')
    for (const item of estimate.notPriced) out.push(`  ${item.stack} ${item.resource} (${item.type}): ${item.why}`)
  }
  if (estimate.usageBased.length > 0) {
    out.push('', 'Billed by use, not in the total:')
    const seen = new Set<string>()
    for (const item of estimate.usageBased) {
      if (seen.has(item.type)) continue
      seen.add(item.type)
      out.push(`  ${item.type}: ${item.why}`)
    }
  }
  return out.join('\n')
}
