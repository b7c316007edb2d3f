/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first,
 * ECR repositories with their images included.
 */
import { preflight, runScript, runStacks, selectStacks } from './lib/cdktf-cli.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const { env } = await preflight(stacks)
  console.log(`Destroying ${stacks.join(', ')}.`)
  // Dependants first.
  return runStacks('destroy', [...stacks].reverse(), env, 'npm run destroy')
})
