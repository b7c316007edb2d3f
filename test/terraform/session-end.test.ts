/**
 * A Learner Lab session that ends mid-deploy, end to end: the deploy scripts' runner applies the
 * queue playground with the real terraform and hashicorp/aws provider against an SQS endpoint that
 * refuses every request as AWS does once the session's token has expired. It must pass the
 * provider's output through and end with the one message that says what to do.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { synthesizeForTerraform } from '../../scripts/aws/app-synth.js'
import { runStacks } from '../../scripts/aws/stack-runner.js'
import { readDeployConfig } from '../../stacks/config.js'
import { writeTerraformCliConfig } from '../../scripts/aws/terraform.js'
import { testFolder } from '../support/test-folder.js'

const root = testFolder('taskoverflow-session-end-')
let expired: Server

beforeAll(async () => {
  // What SQS answers a request signed with an expired session token (JSON protocol, 403).
  expired = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'ExpiredToken;Sender', 'x-amzn-requestid': 'expired-session' })
    res.end(JSON.stringify({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'The security token included in the request is expired' }))
  }).listen(0, '127.0.0.1')
  await once(expired, 'listening')
})
afterAll(() => {
  expired?.close()
  root.remove()
})

describe('a deploy whose credentials expire', () => {
  it('ends with one message: fresh credentials, then the same command again', async () => {
    const printed: string[] = []
    const capture = (chunk: unknown) => (printed.push(String(chunk)), true)
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture)
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture)
    const error = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void printed.push(`CONSOLE ${String(line)}`))
    const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)))
    let code: number
    try {
      const { port } = expired.address() as AddressInfo
      const app = synthesizeForTerraform({ ...readDeployConfig({}), localSqsEndpoint: `http://127.0.0.1:${port}` }, {}, join(root.path, 'cdktf.out'))
      code = await runStacks('apply', ['queue-playground'], {
        // One attempt per request: the provider would otherwise retry each refusal for a while.
        env: { TF_CLI_CONFIG_FILE: writeTerraformCliConfig(join(root.path, 'terraform')), AWS_MAX_ATTEMPTS: '1' },
        command: 'npm run deploy',
        outdir: app.outdir,
      })
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
      error.mockRestore()
      log.mockRestore()
    }
    const output = printed.join('')
    if (!output.includes('Terraform has been successfully initialized')) throw new Error(`terraform init failed, so nothing reached the endpoint:\n${output.slice(-3_000)}`)
    expect(code).not.toBe(0)
    // The provider's own words reached the user, and then the explanation.
    expect(output).toMatch(/api error ExpiredToken: The security token included in the request is expired/)
    const message = printed.find((line) => line.startsWith('CONSOLE '))
    expect(message).toMatch(/^CONSOLE \nThe Learner Lab session ended during `npm run deploy`: AWS no longer accepts its credentials\.\n  1\. Start the lab again[^\n]+\n  2\. Run `npm run deploy` again: Terraform continues from its state\.$/)
  })
})
