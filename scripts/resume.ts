/**
 * `npm run resume`: the database created again from its pause snapshot (or started, if the Lab
 * stopped it), then the load balancer and both services; waits until the API answers and says
 * its URL, and whether it changed. No Docker needed: the images deployed before are run again.
 * (`npm run deploy` does the same and rebuilds the images.)
 */
import { SERVICES_STACK } from '../stacks/stack-names.js'
import { runScript, withLifecycle } from './aws/commands.js'
import { estimateStacks, rate } from './aws/cost-report.js'
import { waitForApi } from './aws/deployment.js'
import { resume, urlNote } from './aws/resume-flow.js'
import { refuseArguments } from './lib/settings.js'

const COMMAND = 'npm run resume'

refuseArguments(COMMAND, 'runs a paused deployment again: the database from its snapshot, then the load balancer and both services, with the images deployed before')

runScript(
  () =>
    withLifecycle(COMMAND, [], async (ctx) => {
      const resumed = await resume(ctx, (app) => console.log(`Running again, this costs ${rate(estimateStacks(app.stacks, ctx.config.region))}.`))
      if (resumed.alreadyRunning) {
        console.log(`TaskOverflow is not paused: it runs at ${resumed.apiUrl}\n  npm run pause    pause it\n  npm run status   what it costs now`)
        return 0
      }
      if (resumed.code !== 0) return resumed.code
      if (!resumed.apiUrl) throw new Error(`${SERVICES_STACK} was applied, but its state has no api_url output`)
      await waitForApi(resumed.apiUrl)
      console.log(`\nTaskOverflow is running again: ${resumed.apiUrl}\nCheck it end to end:\n  npm run smoke -- ${resumed.apiUrl}`)
      const note = urlNote(resumed.before, resumed.apiUrl)
      if (note) console.log(note)
      return 0
    }),
  COMMAND,
)
