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
