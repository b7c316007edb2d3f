import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request a client sent the stand-in. */
export interface SecretsManagerRequest {
  /** The Secrets Manager operation, e.g. GetSecretValue. */
  readonly operation: string
  readonly secretId?: string
  /** Where an AWS SDK puts its userAgentAppId, as `app/NAME`. */
  readonly userAgent?: string
}

export interface SecretsManagerStandIn {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER, the SDKs' standard variable. */
  readonly endpoint: string
  close(): Promise<void>
}

/**
 * Secrets Manager as far as the services use it: GetSecretValue of the one secret it holds, as
 * the SDK's JSON protocol has it. Every request is told to `onRequest`, answered or not; any
 * other operation or secret gets Secrets Manager's own error, so a new call cannot pass unseen.
 */
export async function startSecretsManagerStandIn(secret: { arn: string; value: string }, onRequest: (request: SecretsManagerRequest) => void): Promise<SecretsManagerStandIn> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.once('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '')
      const { SecretId: secretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string }
      onRequest({ operation, secretId, userAgent: request.headers['user-agent'] })
      const answer = (status: number, body: object) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
        response.end(JSON.stringify(body))
      }
      if (operation !== 'GetSecretValue') return answer(400, { __type: 'InvalidRequestException', message: `the stand-in does not do ${operation}` })
      if (secretId !== secret.arn) return answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." })
      answer(200, { ARN: secret.arn, Name: secret.arn.split(':')[6], SecretString: secret.value, VersionId: 'stand-in', VersionStages: ['AWSCURRENT'] })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      // The services' clients keep their connections open.
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
