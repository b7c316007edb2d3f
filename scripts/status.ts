/**
 * `npm run status`: what is deployed from here (or the team's bucket), whether it runs or is
 * paused and since when, what it costs an hour now and running, the API's URL, and the one command
 * that changes that (scripts/aws/status-report.ts). It changes nothing, and needs no terraform.
 */
import { readDeployConfig } from '../stacks/config.js'
import { synthesizeStacks } from '../stacks/synthesize.js'
import { checkCredentials, runScript } from './aws/commands.js'
import { awsClients } from './aws/lifecycle.js'
import { ROOT } from './lib/paths.js'
import { refuseArguments } from './lib/settings.js'
import { nothingDeployedHere, statusReport } from './aws/status-report.js'

refuseArguments('npm run status', 'what is deployed from here (or in the team\'s bucket), whether it runs or is paused, what it costs now, and the command that changes that')

runScript(async () => {
  const config = readDeployConfig(process.env)
  // Nothing deployed from this machine is said without asking AWS, so without credentials too.
  const nothing = await nothingDeployedHere(config)
  if (nothing) {
    console.log(nothing)
    return 0
  }
  // An ended Lab session is this one line (AWS does not accept these credentials...), before anything else.
  const credentials = await checkCredentials(config.region)
  const aws = awsClients(config, credentials)
  try {
    const forms = {
      running: synthesizeStacks({ ...config, paused: false, restoreFromSnapshot: false }, { projectRoot: ROOT }),
      paused: synthesizeStacks({ ...config, paused: true, restoreFromSnapshot: false }, { projectRoot: ROOT }),
    }
    console.log(await statusReport({ config, aws }, forms))
    return 0
  } finally {
    aws.destroy()
  }
}, 'npm run status')
