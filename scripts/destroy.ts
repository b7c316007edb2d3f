/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first,
 * ECR repositories with their images included.
 */
import { cdktf, preflight, runScript, selectStacks } from './lib/cdktf-cli.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const { env } = await preflight(stacks)
  console.log(`Destroying ${stacks.join(', ')}.`)
  return cdktf(['destroy', ...stacks, '--auto-approve'], env)
})
