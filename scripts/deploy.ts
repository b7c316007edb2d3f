/**
 * `npm run deploy [-- STACK...]`: every stack (or the ones named), in deploy order, after
 * checking the settings, that AWS accepts the credentials and, for the images, that Docker can
 * build them (scripts/aws/docker-preflight.ts). It says what the deployment costs an hour first,
 * brings a paused or stopped database back as resume does, and ends by waiting for the API and
 * saying how to pause or remove it. Always the running form: pausing is npm run pause.
 */
import { APP_STACKS, CORE_STACK } from '../stacks/stack-names.js'
import { runScript, stacksOrExit, withLifecycle } from './aws/commands.js'
import { estimateFor, estimateStacks, perHour, rate } from './aws/cost-report.js'
import { waitForApi } from './aws/deployment.js'
import { bringBack, urlNote } from './aws/resume-flow.js'

const COMMAND = 'npm run deploy'
const stacks = stacksOrExit(COMMAND, 'deploys every stack in order')

runScript(
  () =>
    withLifecycle(COMMAND, stacks, async (ctx, { notes }) => {
      for (const note of notes) console.log(note)
      let running = ''
      const deployed = await bringBack(ctx, stacks, (app, restoring) => {
        running = perHour(estimateStacks(app.stacks, ctx.config.region))
        console.log(`With every stack deployed, TaskOverflow costs ${rate(estimateStacks(app.stacks, ctx.config.region))} until you pause or destroy it (npm run cost for each resource).`)
        const database = stacks.includes(CORE_STACK) && !restoring ? ' A new database takes five to ten minutes to create.' : ''
        console.log(`Deploying ${stacks.join(', ')}.${database}`)
      })
      if (deployed.code !== 0) return deployed.code
      if (deployed.apiUrl) {
        await waitForApi(deployed.apiUrl)
        console.log(`\nTaskOverflow is deployed: ${deployed.apiUrl}\nCheck it end to end:\n  npm run smoke -- ${deployed.apiUrl}`)
        const note = urlNote(deployed.before, deployed.apiUrl)
        if (note) console.log(note)
      }
      if (stacks.length < APP_STACKS.length) console.log(`Deployed only ${stacks.join(', ')}.`)
      const paused = estimateFor({ ...ctx.config, paused: true, restoreFromSnapshot: false })
      console.log(`\nWith every stack deployed, it costs ${running} while it runs, whether or not anyone uses it:
  npm run pause     keep the data, remove what bills by the hour (${perHour(paused)} while paused); npm run resume brings it back
  npm run destroy   remove everything`)
      return 0
    }),
  COMMAND,
)
