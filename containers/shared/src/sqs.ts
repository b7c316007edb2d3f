import { SQSClient } from '@aws-sdk/client-sqs'
import { NodeHttpHandler } from '@smithy/node-http-handler'

export interface SqsConfig {
  readonly region: string
  /** An emulator's URL (fauxqs, LocalStack); unset for real SQS. */
  readonly endpoint?: string
  /** @default 1000 */
  readonly connectTimeoutMs?: number
  /**
   * Must exceed the long-poll wait (20 s) for a worker; an API keeps it short so a broken
   * queue turns into a quick 503 rather than a hung request.
   * @default 5000
   */
  readonly requestTimeoutMs?: number
  /** @default 3 */
  readonly maxAttempts?: number
  /** The service's name in each request's user agent (AWS_APP_ID). @default none */
  readonly appId?: string
}

export function createSqsClient(config: SqsConfig): SQSClient {
  return new SQSClient({
    region: config.region,
    maxAttempts: config.maxAttempts ?? 3,
    userAgentAppId: config.appId,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.connectTimeoutMs ?? 1_000,
      requestTimeout: config.requestTimeoutMs ?? 5_000,
    }),
    ...(config.endpoint === undefined
      ? {}
      : {
          endpoint: config.endpoint,
          // Emulators accept any credentials; real SQS goes through the standard AWS chain.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
  })
}
