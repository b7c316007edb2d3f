import { waitForHealthy } from '../lib/http.js'

/** The first tasks can take minutes to pass their health checks and register with the load balancer. */
const API_WAIT_MS = 10 * 60_000

/** Waits until the deployed API answers its health check, saying so while it waits. */
export async function waitForApi(apiUrl: string): Promise<void> {
  console.log(`Waiting for ${apiUrl}/api/v1/health to answer (the first tasks take a minute or two)...`)
  await waitForHealthy(`${apiUrl}/api/v1/health`, API_WAIT_MS)
  console.log('The API answers.')
}
