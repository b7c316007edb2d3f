/**
 * `npm run destroy [-- STACK...]`: removes every stack (or the ones named), dependants first,
 * ECR repositories with their images included.
 */
import { cdktf, checkCredentials, checkDocker, runScript, selectStacks } from './lib/cdktf-cli.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  await checkCredentials(process.env.AWS_REGION || 'us-east-1')
  // The docker provider talks to the engine even to forget the images it built.
  if (stacks.includes('taskoverflow-images')) checkDocker()
  console.log(`Destroying ${stacks.join(', ')}.`)
  return cdktf(['destroy', ...stacks, '--auto-approve'])
})
