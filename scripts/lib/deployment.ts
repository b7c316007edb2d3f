import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './paths.js'
import { waitForHealthy } from './services.js'

/** Where deploy, pause and resume have cdktf write the stacks' outputs. */
export const OUTPUTS_FILE = join(ROOT, 'cdktf.out', 'outputs.json')

/** The load balancer's URL, as the last deploy wrote it. */
export function deployedApiUrl(): string | undefined {
  if (!existsSync(OUTPUTS_FILE)) return undefined
  const written = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8')) as Record<string, Record<string, string>>
  return written['taskoverflow-services']?.api_url
}

/** The first tasks can take minutes to pass their health checks and register with the load balancer. */
const API_WAIT_MS = 10 * 60_000

/** Waits until the deployed API answers its health check, saying so while it waits. */
export async function waitForApi(apiUrl: string): Promise<void> {
  console.log(`Waiting for ${apiUrl}/api/v1/health to answer (the first tasks take a minute or two)...`)
  await waitForHealthy(`${apiUrl}/api/v1/health`, API_WAIT_MS)
  console.log('The API answers.')
}
