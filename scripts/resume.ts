/**
 * `npm run resume`: the database started, then both services back to their tasks, as a deploy
 * with the stacks' usual settings; waits until the API answers. No Docker needed: the images
 * deployed before are run again. (`npm run deploy` does the same and rebuilds the images.)
 */
import { preflight, requireDeployed, runScript } from './lib/commands.js'
import { estimateFor, rate } from './lib/cost-report.js'
import { startDatabaseIfStopped } from './lib/database-state.js'
import { deployedApiUrl, waitForApi } from './lib/deployment.js'
import { runStacks } from './lib/stack-runner.js'
import { CORE_STACK, SERVICES_STACK } from '../stacks/stack-names.js'

runScript(async () => {
  const { config, credentials, env } = await preflight([])
  requireDeployed(config, 'resume')
  const running = { ...config, paused: false }
  console.log(`Running again, this costs ${rate(estimateFor(running))}.`)
  await startDatabaseIfStopped(running, credentials)
  const code = await runStacks('apply', [CORE_STACK, SERVICES_STACK], { env: { ...env, TASKOVERFLOW_PAUSED: 'false' }, command: 'npm run resume' })
  if (code !== 0) return code
  const apiUrl = await deployedApiUrl()
  if (apiUrl) {
    await waitForApi(apiUrl)
    console.log(`\nTaskOverflow is running again: ${apiUrl}`)
  }
  return 0
})
