/**
 * `npm run cost`: what the deployment costs an hour with the settings in force (the same
 * environment variables deploy reads), resource by resource, before anything is spent; and
 * what it costs while paused. Each form synthesized once, in this process.
 */
import { readDeployConfig } from '../stacks/config.js'
import { dollars, estimateFor, formatEstimate } from './aws/cost-report.js'
import { runScript } from './aws/commands.js'
import { refuseArguments } from './lib/settings.js'

refuseArguments('npm run cost', 'what the deployment the settings describe costs in AWS, by billed resource, running and paused')

runScript(async () => {
  const config = readDeployConfig(process.env)
  console.log(formatEstimate(estimateFor(config)))
  const paused = config.paused ? undefined : estimateFor({ ...config, paused: true, restoreFromSnapshot: false })
  if (paused?.hourly !== undefined) {
    const what = paused.lines.filter((line) => line.hourly > 0).map((line) => line.what.replace(/^RDS snapshot of the paused database/, "the database's snapshot"))
    console.log(`\nPaused (npm run pause): ${dollars(paused.hourly, 4)} an hour (${dollars(paused.hourly * 24 * 30)} a 30-day month), for ${what.join(' and ')}.`)
  }
  return 0
})
