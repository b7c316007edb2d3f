/**
 * `npm run pause`: both services to 0 tasks (the worker's scaling range too), then the database
 * stopped, as a deploy with TASKOVERFLOW_PAUSED=true, so Terraform's state says what runs. No
 * Docker needed: the images are left as they are. Then what still bills while paused.
 */
import { preflight, requireDeployed, runScript } from './lib/commands.js'
import { dollars, estimateFor, rate } from './lib/cost-report.js'
import { runStacks } from './lib/stack-runner.js'
import { CORE_STACK, SERVICES_STACK } from '../stacks/stack-names.js'

runScript(async () => {
  const { config, env } = await preflight([])
  requireDeployed(config, 'pause')
  // The tasks first, so nothing is left running against a database that is stopping.
  console.log('Stopping the API and worker tasks, then the database (a few minutes)...')
  const code = await runStacks('apply', [SERVICES_STACK, CORE_STACK], { env: { ...env, TASKOVERFLOW_PAUSED: 'true' }, command: 'npm run pause' })
  if (code !== 0) return code
  const estimate = estimateFor({ ...config, paused: true })
  const billed = estimate.lines.filter((line) => line.hourly > 0)
  console.log(`\nPaused. What still bills while paused: ${rate(estimate)}${billed.length > 0 ? ', for:' : '.'}`)
  for (const line of billed) console.log(`  ${line.what}${line.count > 1 ? ` x${line.count}` : ''}: ${dollars(line.hourly, 4)} an hour`)
  console.log(`
RDS starts a stopped database again by itself after 7 days: pause again before then, or destroy.
  npm run resume    bring it all back (or npm run deploy)
  npm run destroy   remove everything, which stops the rest of the bill`)
  return 0
})
