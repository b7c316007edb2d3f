import { DescribeServicesCommand } from '@aws-sdk/client-ecs'
import type { DeployConfig } from '../../stacks/config.js'
import { estimateCost, type CostEstimate } from './pricing/estimate.js'
import { APP_STACKS, CORE_STACK, SERVICES_STACK } from '../../stacks/stack-names.js'
import type { SynthesizedStacks } from '../../stacks/synthesize.js'
import { estimateStacks, perHour, rate } from './cost-report.js'
import { readDeployment, type Deployment, type Lifecycle } from './lifecycle.js'
import { readStackState, stateLocation } from './stack-state.js'
import { ROOT } from '../lib/paths.js'

/** The app synthesized both ways, for what each stack costs as it stands. */
export interface BothForms {
  readonly running: SynthesizedStacks
  readonly paused: SynthesizedStacks
}

/** A moment as the commands say it: 2026-12-06 14:05 UTC. */
export const minuteUtc = (date: Date) => `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`

const when = (date?: Date) => (date ? minuteUtc(date) : 'a time AWS did not say')
function age(date: Date | undefined, now: Date): string {
  if (!date) return ''
  const hours = Math.floor((now.getTime() - date.getTime()) / 3_600_000)
  return hours < 48 ? ` (${hours} hours)` : ` (${Math.floor(hours / 24)} days)`
}

/** Running, paused, or part-way, from what the state holds and what AWS says runs. */
function phase(deployment: Deployment): 'running' | 'paused' | 'partly' | 'stopped' {
  const { database, servicesRunning, deployed } = deployment
  if (!deployed.includes(CORE_STACK)) return 'partly'
  if (!database.instance && database.snapshot?.status === 'available' && !servicesRunning) return 'paused'
  if (database.instance === 'stopped') return 'stopped'
  if (database.instance === 'available' && (servicesRunning || !deployed.includes(SERVICES_STACK))) return 'running'
  return 'partly'
}

/** What each deployed stack costs now: the paused form of a stack that is paused, the running one of the others. */
function costNow(deployment: Deployment, forms: BothForms, region: string): CostEstimate {
  const pausedStack = (stack: string) => (stack === CORE_STACK ? !deployment.database.instance : stack === SERVICES_STACK ? !deployment.servicesRunning : false)
  const stacks = Object.fromEntries(deployment.deployed.map((stack) => [stack, JSON.parse((pausedStack(stack) ? forms.paused : forms.running)[stack]!)]))
  // A database the Lab stopped bills its storage, not its hours: the estimate reads that from its recorded state.
  if (deployment.database.instance === 'stopped') for (const state of Object.values<any>(stacks[CORE_STACK]?.resource?.aws_rds_instance_state ?? {})) state.state = 'stopped'
  return estimateCost(stacks, region)
}

/** The tasks ECS runs for each service now; empty when there are none. */
async function tasks(ctx: Pick<Lifecycle, 'config' | 'aws'>): Promise<string> {
  const names = [`${ctx.config.name}-api`, `${ctx.config.name}-worker`]
  try {
    const { services = [] } = await ctx.aws.ecs.send(new DescribeServicesCommand({ cluster: ctx.config.name, services: names }))
    return services.filter((service) => service.status === 'ACTIVE').map((service) => `${service.serviceName} ${service.runningCount ?? 0} of ${service.desiredCount ?? 0}`).join(', ')
  } catch (err) {
    if ((err as Error).name === 'ClusterNotFoundException') return ''
    throw err
  }
}

const statusHead = (config: DeployConfig) =>
  `TaskOverflow "${config.name}" in ${config.region}, state in ${config.stateBucket ? `s3://${config.stateBucket.bucket}/${config.stateBucket.keyPrefix}/` : '.terraform-state/'}`

/** What status says when no stack's state holds anything: where it looked, and how to deploy. */
export function nothingDeployed(config: DeployConfig): string {
  const team = config.stateBucket ? '' : ' A team that shares a bucket sets TASKOVERFLOW_STATE_BUCKET.'
  return `${statusHead(config)}\n  Nothing is deployed from here (${stateLocation(config, CORE_STACK)} holds nothing).${team}\n  next       npm run deploy`
}

/**
 * With no team's bucket, whether any stack's state on this machine holds anything is known
 * without AWS: when none does, what status says (nothingDeployed); otherwise undefined.
 */
export async function nothingDeployedHere(config: DeployConfig, root = ROOT): Promise<string | undefined> {
  if (config.stateBucket) return undefined
  const states = await Promise.all(APP_STACKS.map((stack) => readStackState(config, stack, undefined, root)))
  return states.some((state) => state?.resources.length) ? undefined : nothingDeployed(config)
}

/**
 * `npm run status` in one screen: what is deployed from here (or the team's bucket), running or
 * paused and since when, what it costs an hour now and running, the API's URL, and the one command
 * that changes it. From Terraform's state and AWS's describe calls; it changes nothing.
 */
export async function statusReport(ctx: Pick<Lifecycle, 'config' | 'aws' | 'root'>, forms: BothForms, now = new Date()): Promise<string> {
  const { config } = ctx
  const deployment = await readDeployment(ctx)
  const head = statusHead(config)
  if (deployment.deployed.length === 0) return nothingDeployed(config)
  const { database } = deployment
  const running = rate(estimateStacks(forms.running, config.region))
  const current = phase(deployment)
  const lines = [head, `  deployed   ${deployment.deployed.join(', ')}`]
  if (current === 'paused') {
    lines.push(`  now        paused since ${when(database.snapshot?.created)}${age(database.snapshot?.created, now)}: the database is the snapshot ${database.snapshotIdentifier}${database.snapshot?.allocatedStorage ? `, ${database.snapshot.allocatedStorage} GB` : ''}`)
  } else if (current === 'running') {
    lines.push(`  now        running${database.created ? ` since ${when(database.created)}${age(database.created, now)}` : ''}${(await tasks(ctx)).replace(/^(.+)$/, ': $1 tasks')}`)
  } else if (current === 'stopped') {
    lines.push(`  now        the database ${database.identifier} is stopped (the Lab stops it at a session's end), so the API cannot answer`)
  } else {
    lines.push(`  now        part-way: the database ${database.instance ? `is ${database.instance}` : database.snapshot ? `is the snapshot ${database.snapshotIdentifier} (${database.snapshot.status})` : 'is not there'}, the services ${deployment.servicesRunning ? 'run' : 'do not'} (a pause, resume or deploy that stopped)`)
  }
  const estimate = costNow(deployment, forms, config.region)
  lines.push(`  costs now  ${rate(estimate)}`, `  running    ${running}`)
  lines.push(
    deployment.apiUrl && deployment.servicesRunning
      ? `  API        ${deployment.apiUrl}`
      : `  API        none${deployment.apiUrlBeforePause ? ` while paused (it was ${deployment.apiUrlBeforePause}; resuming gives it a new URL)` : ''}`,
  )
  const next = { paused: 'npm run resume   bring it back with its data (about 15 minutes)', running: `npm run pause    keep the data, remove what bills by the hour (${perHour(estimateStacks(forms.paused, config.region))} paused)`, stopped: 'npm run resume   start the database and check the rest', partly: 'npm run pause    finish pausing (or npm run resume to run it)' }[current]
  lines.push(`  next       ${next}`)
  return lines.join('\n')
}
