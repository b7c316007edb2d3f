/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first, ECR
 * repositories with their images included, and with the core stack the database's snapshot
 * (scripts/aws/destroy-flow.ts), paused or running.
 */
import { runScript, stacksOrExit, withLifecycle } from './aws/commands.js'
import { destroy } from './aws/destroy-flow.js'

const COMMAND = 'npm run destroy'
const stacks = stacksOrExit(COMMAND, 'removes every stack, dependants first')

runScript(() => withLifecycle(COMMAND, stacks, (ctx) => destroy(ctx, stacks)), COMMAND)
