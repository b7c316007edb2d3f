import type { ChildProcess } from 'node:child_process'

export interface HttpAnswer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed, when it is JSON; undefined otherwise. */
  readonly json: any
}

/**
 * One HTTP request: an object body is sent as JSON, a string body as it is (so tests can send
 * malformed JSON), with the headers given. Resolves with the status, headers, text and JSON.
 */
export async function httpCall(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<HttpAnswer> {
  const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const response = await fetch(url, init)
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** Polls a URL until it answers 200, or fails after `timeoutMs`, or at once if `service` (whose health this is) has exited. */
export async function waitForHealthy(url: string, timeoutMs = 30_000, service?: { readonly name: string; readonly child: Pick<ChildProcess, 'exitCode' | 'signalCode'> }): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (service && (service.child.exitCode !== null || service.child.signalCode !== null)) {
      throw new Error(`${service.name} exited before it was ready`)
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
