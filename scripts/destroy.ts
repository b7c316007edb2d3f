/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first,
 * ECR repositories with their images included.
 */
import { readDeployConfig } from '../stacks/config.js'
import { cdktf, checkCredentials, runScript, selectStacks } from './lib/cdktf-cli.js'
import { checkDocker } from './lib/docker-preflight.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const config = readDeployConfig(process.env)
  await checkCredentials(config.region)
  // The docker provider talks to the engine even to forget the images it built.
  const docker = stacks.includes('taskoverflow-images') ? checkDocker(config.arch) : undefined
  console.log(`Destroying ${stacks.join(', ')}.`)
  return cdktf(['destroy', ...stacks, '--auto-approve'], docker?.env)
})
