/**
 * `npm run resume`: the database started, then both services back to their tasks, as a deploy
 * with the stacks' usual settings; waits until the API answers. No Docker needed: the images
 * deployed before are run again. (`npm run deploy` does the same and rebuilds the images.)
 */
import { preflight, runScript, runStacks } from './lib/cdktf-cli.js'
import { rate, estimateFor } from './lib/cost-report.js'
import { startDatabaseIfStopped } from './lib/database-state.js'
import { deployedApiUrl, OUTPUTS_FILE, waitForApi } from './lib/deployment.js'

runScript(async () => {
  const { config, credentials, env } = await preflight([])
  const running = { ...config, paused: false }
  console.log(`Running again, this costs ${rate(estimateFor(running).hourly)}.`)
  await startDatabaseIfStopped(running, credentials)
  const code = await runStacks('deploy', ['taskoverflow-core', 'taskoverflow-services'], { ...env, TASKOVERFLOW_PAUSED: 'false' }, 'npm run resume', ['--outputs-file', OUTPUTS_FILE])
  if (code !== 0) return code
  const apiUrl = deployedApiUrl()
  if (apiUrl) {
    await waitForApi(apiUrl)
    console.log(`\nTaskOverflow is running again: ${apiUrl}`)
  }
  return 0
})
