/**
 * What AWS calls each service makes, seen while it runs, checked against the role the stacks give
 * it (TASKOVERFLOW_IAM_MODE=create-roles): a call its role denies fails in AWS alone, since the
 * emulator checks no permissions. Each call is told to its service by the SDK's userAgentAppId
 * (AWS_APP_ID), which the services set themselves, as CloudTrail would see it. It runs the
 * compiled services (`npm test` builds them; alone, `npm run build` first) and a PostgreSQL server.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { AWS_APP_ID } from '@taskoverflow/shared'
import { httpCall } from '../../scripts/lib/http.js'
import { passwordDatabase, startCluster, type Cluster } from '../support/cluster.js'
import { eventually } from '../support/eventually.js'
import { startSecretsManagerStandIn, type SecretsManagerStandIn } from '../support/secrets-manager-stand-in.js'
import { roleAllows, taskRolePolicies, type RolePolicy, type TaskService } from '../support/task-role-policies.js'

const REGION = 'us-east-1'
/** The emulator's account, checked below: the secret must be in the queues' account, as on AWS. */
const ACCOUNT = '000000000000'
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:taskoverflow-db-AbCdEf`

/** One AWS call as IAM authorises it; `service` is undefined for a client that did not name itself. */
interface AwsCall {
  readonly service: TaskService | undefined
  readonly action: string
  readonly resource: string
}

const serviceOf = (userAgent: string | undefined) => {
  const appId = /(?:^| )app\/(\S+)/.exec(userAgent ?? '')?.[1]
  return (Object.keys(AWS_APP_ID) as TaskService[]).find((service) => AWS_APP_ID[service] === appId)
}
/** AWS's queue URLs are https://HOST/ACCOUNT/NAME, the emulator's too. */
const queueArn = (url: string) => {
  const [account, name] = new URL(url).pathname.split('/').slice(1)
  return `arn:aws:sqs:${REGION}:${account}:${name}`
}
/**
 * The batch operations have no IAM actions of their own: "setting permissions for SendMessage,
 * DeleteMessage, or ChangeMessageVisibility sets permissions for the corresponding batch versions"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
 */
const sqsAction = (operation: string) => `sqs:${operation.replace(/Batch$/, '')}`

const calls = new Map<string, AwsCall>()
const record = (call: AwsCall) => calls.set(JSON.stringify(call), call)

let cluster: Cluster
let secrets: SecretsManagerStandIn

/** A job as the API leaves it when it dies after recording it and before sending it (reconciler.ts). */
async function recordedButNeverSent(): Promise<string> {
  const id = randomUUID()
  await cluster.pool.query("INSERT INTO ical_jobs (id, created_at) VALUES ($1, now() - interval '1 minute')", [id])
  return id
}
const resent = async (id: string) =>
  (await cluster.pool.query("SELECT 1 FROM ical_job_events WHERE job_id = $1 AND step = 'sent' AND detail = 'sent again by the reconciler'", [id])).rowCount === 1
const succeeded = async (ids: string[]) =>
  (await cluster.pool.query("SELECT count(*)::int AS n FROM ical_jobs WHERE id = ANY($1::uuid[]) AND status = 'SUCCESS'", [ids])).rows[0].n === ids.length

beforeAll(async () => {
  const password = randomBytes(12).toString('hex')
  secrets = await startSecretsManagerStandIn({ arn: SECRET_ARN, value: JSON.stringify({ username: 'taskoverflow', password }) }, (request) =>
    record({ service: serviceOf(request.userAgent), action: `secretsmanager:${request.operation}`, resource: request.secretId ?? '*' }),
  )
  cluster = await startCluster({
    // The services read the secret only when the server asks for a password, as RDS does.
    prepareDatabase: passwordDatabase(password),
    onRequest: (request) => record({ service: serviceOf(request.userAgent), action: sqsAction(request.operation), resource: request.queueUrl ? queueArn(request.queueUrl) : '*' }),
    // A job (its delay) outlasts a third of the visibility timeout, so the worker extends it
    // (ChangeMessageVisibility), as it does for any long job.
    jobTiming: { delaySeconds: 2, visibilityTimeoutSeconds: 3, deadlineSeconds: 3_600 },
    env: {
      DATABASE_PASSWORD_SECRET_ARN: SECRET_ARN,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      RECONCILE_INTERVAL_SECONDS: '1',
    },
  })
  if (!queueArn(cluster.sqs.queueUrl).includes(`:${ACCOUNT}:`)) throw new Error(`the emulator's queues are not in account ${ACCOUNT}: ${cluster.sqs.queueUrl}`)

  // The API alone: its reconciler sends a lost job again; it sends an export and shows the pipeline.
  const lostByApi = await recordedButNeverSent()
  await eventually("the API's reconciler to send the lost job", () => resent(lostByApi), 15_000, 100)
  const { json: posted } = await httpCall('POST', `${cluster.apiUrl}/todos/ical`)
  expect((await httpCall('GET', `${cluster.apiUrl}/pipeline`)).json.queues.dead_letter).toBeTruthy()
  // The worker alone: its reconciler sends the next lost job, and it finishes all three.
  await cluster.api().stop()
  const lostByWorker = await recordedButNeverSent()
  await cluster.startWorker()
  await eventually("the worker's reconciler to send the lost job", () => resent(lostByWorker), 15_000, 100)
  await eventually('the worker to finish every job', () => succeeded([lostByApi, posted.task_id, lostByWorker]), 30_000, 100)
}, 60_000)
afterAll(async () => {
  await cluster?.close()
  await secrets?.close()
})

describe('each task role, against the calls its service made', () => {
  let roles: Record<TaskService, RolePolicy>
  beforeAll(() => {
    // The core stack's outputs the policies name, as what the test really used.
    const arns = {
      'ical-queue/queue.arn': queueArn(cluster.sqs.queueUrl),
      'ical-queue/dead-letter.arn': queueArn(cluster.sqs.deadLetterUrl),
      'database/instance.master_user_secret[0].secret_arn': SECRET_ARN,
    }
    roles = taskRolePolicies(arns, ACCOUNT)
  })
  const byService = (service: TaskService) => [...calls.values()].filter((call) => call.service === service)

  it('sees every call come from a service that names itself', () => {
    expect([...calls.values()].filter((call) => call.service === undefined)).toEqual([])
  })

  it('allows every call the API and the worker made', async () => {
    const denied: string[] = []
    for (const service of ['api', 'worker'] as const) {
      for (const call of byService(service)) {
        if (!(await roleAllows(roles[service], call.action, call.resource))) denied.push(`the ${service} role denies ${call.action} on ${call.resource}`)
      }
    }
    expect(denied).toEqual([])
  })

  it('allows nothing its service never called', () => {
    const unused: string[] = []
    for (const service of ['api', 'worker'] as const) {
      const called = new Set(byService(service).map((call) => `${call.action} on ${call.resource}`))
      for (const { actions, resources } of roles[service].statements) {
        for (const granted of actions.flatMap((action) => resources.map((resource) => `${action} on ${resource}`))) {
          if (!called.has(granted)) unused.push(`the ${service} role allows ${granted}, which it never called`)
        }
      }
    }
    expect(unused).toEqual([])
  })
})
