/**
 * A local stand-in for the AWS APIs the lifecycle commands call (STS, RDS, ECS, SQS, S3), each in
 * its own wire protocol as the SDK v3 clients speak it, over one model of the account (`World`)
 * that a test sets up and reads back. Statuses move on as AWS's do, a step per look: a snapshot
 * being deleted is gone at the next describe, a stopping task has stopped after a few. Every
 * call can be refused as an ended Learner Lab session's are (`world.expired`).
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeInstance { status: string; data: string; created: Date }
export interface FakeSnapshot { status: string; data: string; created: Date; allocatedStorage: number }
export interface FakeTask { arn: string; group: string; lastStatus: string; desiredStatus: 'RUNNING' | 'STOPPED'; looksToStop: number }

export interface World {
  instance?: FakeInstance
  snapshot?: FakeSnapshot
  cluster: boolean
  /** ECS services by name, with their desired count. */
  services: Record<string, number>
  tasks: FakeTask[]
  /** Jobs in the job queue, and how many the workers finish between two looks at it. */
  queued: number
  drainedPerLook: number
  /** Load balancers ever made: a new one gets a new URL. */
  loadBalancers: number
  /** S3 objects by `bucket/key`. */
  s3: Record<string, string>
  /** Every call refused with ExpiredToken, as once a Lab session has ended. */
  expired: boolean
  /** The fake terraform's next run of this (`apply taskoverflow-core`) starts, then fails as the session ends under it. */
  endSessionDuring?: string
  /** Each call, as `service Action`. */
  calls: string[]
  /** Set when the database was deleted while a task of the cluster still ran: a batch lost. */
  deletedUnderTask?: boolean
}

export const newWorld = (): World => ({ cluster: false, services: {}, tasks: [], queued: 0, drainedPerLook: 0, loadBalancers: 0, s3: {}, expired: false, calls: [] })

const EXPIRED = 'The security token included in the request is expired'
const xml = (action: string, result: string) => `<${action}Response><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></${action}Response>`
const queryError = (code: string, message: string) => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>0</RequestId></ErrorResponse>`

class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

function rds(world: World, action: string, params: URLSearchParams): string {
  // A look moves RDS on a step: what was under way is done.
  const snapshotXml = (s: FakeSnapshot) =>
    `<DBSnapshot><DBSnapshotIdentifier>${params.get('DBSnapshotIdentifier')}</DBSnapshotIdentifier><Status>${s.status}</Status><SnapshotCreateTime>${s.created.toISOString()}</SnapshotCreateTime><AllocatedStorage>${s.allocatedStorage}</AllocatedStorage></DBSnapshot>`
  if (action === 'DescribeDBInstances') {
    const instance = world.instance
    if (!instance) throw new Refusal(404, 'DBInstanceNotFound', `DBInstance ${params.get('DBInstanceIdentifier')} not found.`)
    const shown = instance.status
    if (shown === 'deleting') world.instance = undefined
    else if (['creating', 'starting', 'backing-up'].includes(shown)) instance.status = 'available'
    else if (shown === 'stopping') instance.status = 'stopped'
    return xml(action, `<DBInstances><DBInstance><DBInstanceIdentifier>${params.get('DBInstanceIdentifier')}</DBInstanceIdentifier><DBInstanceStatus>${shown}</DBInstanceStatus><InstanceCreateTime>${instance.created.toISOString()}</InstanceCreateTime></DBInstance></DBInstances>`)
  }
  if (action === 'DescribeDBSnapshots') {
    const snapshot = world.snapshot
    if (!snapshot) throw new Refusal(404, 'DBSnapshotNotFound', `DBSnapshot ${params.get('DBSnapshotIdentifier')} not found.`)
    const shown = { ...snapshot }
    if (shown.status === 'deleting') world.snapshot = undefined
    else if (shown.status === 'creating') snapshot.status = 'available'
    return xml(action, `<DBSnapshots>${snapshotXml(shown)}</DBSnapshots>`)
  }
  if (action === 'DeleteDBSnapshot') {
    if (!world.snapshot) throw new Refusal(404, 'DBSnapshotNotFound', `DBSnapshot ${params.get('DBSnapshotIdentifier')} not found.`)
    if (world.snapshot.status !== 'available') throw new Refusal(400, 'InvalidDBSnapshotState', 'Cannot delete the snapshot because it is not currently in the available state.')
    world.snapshot.status = 'deleting'
    return xml(action, snapshotXml(world.snapshot))
  }
  if (action === 'StartDBInstance' && world.instance?.status === 'stopped') {
    world.instance.status = 'starting'
    return xml(action, '<DBInstance></DBInstance>')
  }
  throw new Error(`the stand-in has no RDS ${action} for this world`)
}

function ecs(world: World, action: string, input: any): unknown {
  if (!world.cluster && action !== 'UpdateService') throw new Refusal(400, 'ClusterNotFoundException', 'Cluster not found.')
  if (action === 'ListTasks') return { taskArns: world.tasks.filter((task) => task.desiredStatus === input.desiredStatus).map((task) => task.arn) }
  if (action === 'DescribeTasks') {
    const tasks = world.tasks.filter((task) => input.tasks.includes(task.arn)).map((task) => ({ taskArn: task.arn, group: task.group, lastStatus: task.lastStatus }))
    // A stopping task stops after a few looks: a worker finishing its batch.
    for (const task of world.tasks) if (task.desiredStatus === 'STOPPED' && task.lastStatus !== 'STOPPED' && --task.looksToStop <= 0) task.lastStatus = 'STOPPED'
    return { tasks, failures: [] }
  }
  if (action === 'UpdateService') {
    if (!(input.service in world.services)) throw new Refusal(400, 'ServiceNotFoundException', 'Service not found.')
    world.services[input.service] = input.desiredCount
    for (const task of world.tasks) if (task.group === `service:${input.service}` && input.desiredCount === 0) Object.assign(task, { desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', looksToStop: 1 })
    return { service: { serviceName: input.service, desiredCount: input.desiredCount } }
  }
  if (action === 'DescribeServices') {
    const running = (name: string) => world.tasks.filter((task) => task.group === `service:${name}` && task.lastStatus === 'RUNNING').length
    const known = input.services.filter((name: string) => name in world.services)
    return { services: known.map((name: string) => ({ serviceName: name, status: 'ACTIVE', desiredCount: world.services[name], runningCount: running(name) })), failures: [] }
  }
  throw new Error(`the stand-in has no ECS ${action}`)
}

function sqs(world: World, action: string): unknown {
  if (action !== 'GetQueueAttributes') throw new Error(`the stand-in has no SQS ${action}`)
  const shown = world.queued
  world.queued = Math.max(0, world.queued - world.drainedPerLook)
  return { Attributes: { ApproximateNumberOfMessages: String(shown), ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } }
}

async function answer(world: World, req: IncomingMessage, res: ServerResponse, control: (path: string, body: string) => Promise<unknown>): Promise<void> {
  let body = ''
  for await (const chunk of req) body += chunk
  const target = String(req.headers['x-amz-target'] ?? '')
  const params = new URLSearchParams(body)
  const service = req.url!.startsWith('/__') ? 'control' : target.startsWith('AmazonEC2ContainerService') ? 'ecs' : target.startsWith('AmazonSQS') ? 'sqs' : params.get('Action') ? (params.get('Action') === 'GetCallerIdentity' ? 'sts' : 'rds') : 's3'
  const action = service === 'ecs' || service === 'sqs' ? target.split('.')[1]! : service === 's3' ? `${req.method} ${decodeURIComponent(req.url!.split('?')[0]!)}` : params.get('Action') ?? req.url!
  if (/^\/lb-\d+\/api\/v1\/health$/.test(req.url!)) {
    // The load balancer's URL, as the fake terraform gives it: the API answers.
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
    return
  }
  if (service === 'control') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await control(req.url!, body)))
    return
  }
  world.calls.push(`${service} ${action}`)
  const json = service === 'ecs' || service === 'sqs'
  try {
    if (world.expired) throw new Refusal(json ? 400 : 403, json ? 'ExpiredTokenException' : 'ExpiredToken', EXPIRED)
    // The answer is made before anything is sent, so a refusal can still be sent instead.
    let answered: [string, string]
    if (service === 'sts') answered = ['text/xml', xml('GetCallerIdentity', '<Arn>arn:aws:sts::123456789012:assumed-role/voclabs/student</Arn><UserId>AROA:student</UserId><Account>123456789012</Account>')]
    else if (service === 'rds') answered = ['text/xml', rds(world, action, params)]
    else if (json) answered = ['application/x-amz-json-1.1', JSON.stringify(service === 'ecs' ? ecs(world, action, JSON.parse(body)) : sqs(world, action))]
    else {
      const object = world.s3[action.replace(/^GET \//, '')]
      if (object === undefined) throw new Refusal(404, 'NoSuchKey', 'The specified key does not exist.')
      answered = ['application/json', object]
    }
    res.writeHead(200, { 'content-type': answered[0] }).end(answered[1])
  } catch (err) {
    if (!(err instanceof Refusal)) throw err
    if (json) res.writeHead(err.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-query-error': `${err.code.replace(/Exception$/, '')};Sender` }).end(JSON.stringify({ __type: err.code, message: err.message }))
    else if (service === 's3') res.writeHead(err.status, { 'content-type': 'application/xml' }).end(`<Error><Code>${err.code}</Code><Message>${err.message}</Message></Error>`)
    else res.writeHead(err.status, { 'content-type': 'text/xml' }).end(queryError(err.code, err.message))
  }
}

export interface AwsStandIn {
  readonly endpoint: string
  readonly world: World
  close(): void
}

/** The stand-in on a free port; `control` answers the fake terraform's requests (test/support/fake-terraform.ts). */
export async function startAwsStandIn(world: World, control: (path: string, body: string) => Promise<unknown> = async () => ({})): Promise<AwsStandIn> {
  const server: Server = createServer((req, res) => {
    // A request the stand-in does not know fails the call loudly, with why.
    answer(world, req, res, control).catch((err: unknown) => res.writeHead(500).end(String(err)))
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, world, close: () => server.close() }
}
