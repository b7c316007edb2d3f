/** The load client's moves, the same for every test and benchmark and for both systems: export, then wait. */

/** POSTs a calendar export; returns its task id. */
export async function postExport(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/todos/ical`, { method: 'POST' })
  if (response.status !== 202) throw new Error(`POST ${apiUrl}/todos/ical answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { task_id: string }).task_id
}

/** POSTs `count` exports, `concurrency` at a time; returns their task ids. */
export async function postExports(apiUrl: string, count: number, concurrency = 20): Promise<string[]> {
  const ids: string[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) ids.push(await postExport(apiUrl))
    }),
  )
  return ids
}

/**
 * POSTs an export and polls its status every `pollMs` until it reads SUCCESS; returns its id and
 * the milliseconds from the POST. A FAILURE, or no SUCCESS within `timeoutMs`, throws.
 */
export async function exportAndWait(apiUrl: string, pollMs: number, timeoutMs = 120_000): Promise<{ id: string; ms: number }> {
  const started = performance.now()
  const id = await postExport(apiUrl)
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const { task_status: status } = (await (await fetch(`${apiUrl}/todos/ical/${id}/status`)).json()) as { task_status: string }
    if (status === 'SUCCESS') return { id, ms: performance.now() - started }
    if (status === 'FAILURE') throw new Error(`export ${id} failed on ${apiUrl}`)
    if (Date.now() > deadline) throw new Error(`export ${id} not finished within ${timeoutMs} ms on ${apiUrl}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
