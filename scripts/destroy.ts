/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first,
 * ECR repositories with their images included.
 */
import { preflight, runScript, selectStacks } from './lib/commands.js'
import { runStacks } from './lib/stack-runner.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const { env } = await preflight(stacks)
  console.log(`Destroying ${stacks.join(', ')}.`)
  // Dependants first.
  return runStacks('destroy', [...stacks].reverse(), { env, command: 'npm run destroy' })
})
