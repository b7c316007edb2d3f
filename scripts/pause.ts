/**
 * `npm run pause`: nothing left that bills by the hour (no load balancer, no task, no alarm; the
 * database kept as a snapshot, which never starts by itself), every piece of data kept. No Docker
 * needed: the images stay in ECR. scripts/aws/pause-flow.ts says how.
 */
import { runScript, withLifecycle } from './aws/commands.js'
import { refuseArguments } from './lib/settings.js'
import { pause } from './aws/pause-flow.js'

const COMMAND = 'npm run pause'

refuseArguments(COMMAND, 'stops everything that bills by the hour (load balancer, tasks, alarms) and keeps the database as a snapshot; npm run resume runs it again')

runScript(
  () =>
    withLifecycle(COMMAND, [], (ctx) => pause(ctx)),
  COMMAND,
)
