/**
 * `npm run deploy [-- STACK...]`: every stack (or the ones named), in deploy order, after
 * checking the settings, that AWS accepts the credentials and, for the images, that Docker can
 * build them (scripts/lib/docker-preflight.ts). It says what the deployment costs an hour first,
 * starts a paused database, and ends by waiting for the API and saying how to pause or remove it.
 */
import { APP_STACKS, CORE_STACK, SERVICES_STACK } from '../stacks/stack-names.js'
import { preflight, runScript, selectStacks } from './lib/commands.js'
import { estimateFor, perHour, rate } from './lib/cost-report.js'
import { startDatabaseIfStopped } from './lib/database-state.js'
import { deployedApiUrl, waitForApi } from './lib/deployment.js'
import { runStacks } from './lib/stack-runner.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const { config, credentials, env, notes } = await preflight(stacks)
  for (const note of notes) console.log(note)

  const running = estimateFor({ ...config, paused: false })
  console.log(`With every stack deployed, TaskOverflow costs ${rate(running)} until you pause or destroy it (npm run cost for each resource).`)
  if (stacks.includes(CORE_STACK)) {
    await startDatabaseIfStopped(config, credentials)
    console.log(`Deploying ${stacks.join(', ')}. A new database takes five to ten minutes to create.`)
  } else {
    console.log(`Deploying ${stacks.join(', ')}.`)
  }
  const code = await runStacks('apply', stacks, { env: { ...env, TASKOVERFLOW_PAUSED: 'false' }, command: 'npm run deploy' })
  if (code !== 0) return code

  const apiUrl = stacks.includes(SERVICES_STACK) ? await deployedApiUrl() : undefined
  if (apiUrl) {
    await waitForApi(apiUrl)
    console.log(`\nTaskOverflow is deployed: ${apiUrl}\nCheck it end to end:\n  npm run smoke -- ${apiUrl}`)
  }
  if (stacks.length < APP_STACKS.length) console.log(`Deployed only ${stacks.join(', ')}.`)
  const paused = estimateFor({ ...config, paused: true })
  console.log(`\nWith every stack deployed, it costs ${perHour(running)} while it runs, whether or not anyone uses it:
  npm run pause     stop the tasks and the database (${perHour(paused)} while paused); npm run resume brings it back
  npm run destroy   remove everything`)
  return 0
})
