/**
 * `npm run deploy [-- STACK...]`: every stack (or the ones named), in dependency order, after
 * checking the settings, that AWS accepts the credentials and, for the images, that Docker can
 * build them (scripts/lib/docker-preflight.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALL_STACKS, cdktf, preflight, runScript, selectStacks } from './lib/cdktf-cli.js'
import { ROOT } from './lib/paths.js'

runScript(async () => {
  const stacks = selectStacks(process.argv.slice(2))
  const docker = await preflight(stacks)
  for (const note of docker.notes) console.log(note)

  const outputs = join(ROOT, 'cdktf.out', 'outputs.json')
  console.log(`Deploying ${stacks.join(', ')}. The database takes five to ten minutes to create.`)
  const code = await cdktf(['deploy', ...stacks, '--auto-approve', '--outputs-file', outputs], docker.env)
  if (code !== 0) return code

  const written = JSON.parse(readFileSync(outputs, 'utf8')) as Record<string, Record<string, string>>
  const apiUrl = written['taskoverflow-services']?.api_url
  if (apiUrl) {
    console.log(`\nTaskOverflow is deployed: ${apiUrl}\nCheck it end to end (the first tasks can take a minute to pass health checks):\n  npm run smoke -- ${apiUrl}`)
  }
  if (stacks.length < ALL_STACKS.length) console.log(`Deployed only ${stacks.join(', ')}.`)
  return 0
})
