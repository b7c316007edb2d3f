/**
 * `npm run cost`: what the deployment costs an hour with the settings in force (the same
 * environment variables deploy reads), resource by resource, before anything is spent; and
 * what it still costs while paused.
 */
import { readDeployConfig } from '../stacks/config.js'
import { dollars, estimateFor, formatEstimate } from './lib/cost-report.js'
import { runScript } from './lib/commands.js'
import { refuseArguments } from './lib/settings.js'

refuseArguments('npm run cost')

runScript(async () => {
  const config = readDeployConfig(process.env)
  console.log(formatEstimate(estimateFor(config)))
  const paused = config.paused ? undefined : estimateFor({ ...config, paused: true })
  if (paused?.hourly !== undefined) {
    console.log(`\nPaused (npm run pause): ${dollars(paused.hourly, 4)} an hour, for the load balancer, its addresses, storage, the secret and the alarms.`)
  }
  return 0
})
