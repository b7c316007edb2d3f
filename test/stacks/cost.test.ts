import { describe, expect, it } from '@jest/globals'
import { estimateFor, formatEstimate } from '../../scripts/aws/cost-report.js'
import { readDeployConfig } from '../../stacks/config.js'
import { estimateCost } from '../../scripts/aws/pricing/estimate.js'
import { HOURS_PER_MONTH, PRICES } from '../../scripts/aws/pricing/prices.js'
import { synthAll } from './synth.js'

const p = PRICES['us-east-1']!
const cost = (env: Record<string, string> = {}) => estimateFor(readDeployConfig({ TASKOVERFLOW_ARCH: 'amd64', ...env }))
/** One default task (0.25 vCPU, 0.5 GB) on each architecture, and the public address it holds. */
const task = (arch: 'X86_64' | 'ARM64' = 'X86_64') => 0.25 * p.fargate[arch].vcpuHour.usd + 0.5 * p.fargate[arch].gbHour.usd
const ip = p.publicIpv4Hour.usd
const monthly = (usd: number) => usd / HOURS_PER_MONTH
/** What runs whatever the tasks: the load balancer in two subnets, the database's storage, the secret, two alarms. */
const standing = p.applicationLoadBalancerHour.usd + 2 * ip + 20 * monthly(p.gp2GbMonth.usd) + monthly(p.secretMonth.usd) + 2 * monthly(p.alarmMonth.usd)
const base = cost()
/** The hourly total, NaN (failing any comparison) if the estimate has none. */
const hourly = (env?: Record<string, string>) => cost(env).hourly ?? NaN
const baseHourly = hourly()

describe('npm run cost', () => {
  it('prices the default deployment from the table, line by line, at no more than $0.09 an hour', () => {
    expect(baseHourly).toBeCloseTo(standing + p.rdsInstanceHour['db.t4g.micro']!.usd + 2 * (task() + ip), 10)
    expect(baseHourly).toBeLessThanOrEqual(0.09)
    expect(base.notPriced).toEqual([])
  })

  it.each([2, 3])('adds a task and its address for each API task, %i in all', (apiTasks) => {
    expect(hourly({ TASKOVERFLOW_API_TASKS: String(apiTasks) }) - baseHourly).toBeCloseTo((apiTasks - 1) * (task() + ip), 10)
  })

  it('charges Fargate ARM64 rates when the images are built for arm64', () => {
    expect(hourly({ TASKOVERFLOW_ARCH: 'arm64' }) - baseHourly).toBeCloseTo(2 * (task('ARM64') - task('X86_64')), 10)
  })

  it('follows the worker minimum, and says what each task up to the maximum would add', () => {
    expect(baseHourly - hourly({ TASKOVERFLOW_WORKER_MIN_TASKS: '0' })).toBeCloseTo(task() + ip, 10)
    expect(hourly({ TASKOVERFLOW_WORKER_MIN_TASKS: '2' }) - baseHourly).toBeCloseTo(task() + ip, 10)
    expect(base.scaling).toEqual([{ stack: 'taskoverflow-services', resource: 'worker/service', upTo: 4, eachTask: expect.closeTo(task() + ip, 10) }])
  })

  it('adds a public address for each zone the load balancer spans', () => {
    expect(hourly({ TASKOVERFLOW_AVAILABILITY_ZONES: '3' }) - baseHourly).toBeCloseTo(ip, 10)
  })

  it("while paused, counts only the database's snapshot, at most its 20 GB: under half a cent an hour", () => {
    const paused = cost({ TASKOVERFLOW_PAUSED: 'true' })
    expect(paused.lines).toEqual([expect.objectContaining({ stack: 'taskoverflow-core', resource: 'database/paused', count: 20, hourly: expect.closeTo(20 * monthly(p.snapshotGbMonth.usd), 10) })])
    expect(paused.hourly).toBeLessThanOrEqual(0.005)
    expect(paused.notPriced).toEqual([])
  })

  it('while paused with a generated password, adds the secret that keeps it, still under half a cent an hour', () => {
    const paused = cost({ TASKOVERFLOW_PAUSED: 'true', TASKOVERFLOW_DB_PASSWORD_MODE: 'generated' })
    expect(paused.hourly).toBeCloseTo(20 * monthly(p.snapshotGbMonth.usd) + monthly(p.secretMonth.usd), 10)
    expect(paused.hourly).toBeLessThanOrEqual(0.005)
  })

  it('lists a resource type it has no price for as not priced, never as free', () => {
    const stacks = Object.fromEntries(Object.entries(synthAll()).map(([name, text]) => [name, JSON.parse(text)]))
    stacks['taskoverflow-core'].resource.aws_nat_gateway = { nat: { '//': { metadata: { path: 'taskoverflow-core/network/nat' } }, subnet_id: 'subnet-1' } }
    const estimate = estimateCost(stacks, 'us-east-1')
    expect(estimate.notPriced).toEqual([{ stack: 'taskoverflow-core', resource: 'network/nat', type: 'aws_nat_gateway', why: 'not in the price table' }])
    expect(estimate.hourly).toBeCloseTo(baseHourly, 10)
  })

  it('prices nothing in a region the table lacks, and says so for each resource', () => {
    const elsewhere = cost({ TASKOVERFLOW_IAM_MODE: 'create-roles', AWS_REGION: 'eu-west-1' })
    expect(elsewhere.lines).toEqual([])
    expect(elsewhere.notPriced.length).toBeGreaterThan(10)
    expect(new Set(elsewhere.notPriced.map((item) => item.why))).toEqual(new Set(['the price table has us-east-1 and us-west-2 only']))
    expect(elsewhere.hourly).toBeUndefined()
    // What costs nothing by existing is not listed as if it had a price to miss.
    expect(elsewhere.notPriced.map((item) => item.type)).not.toContain('aws_ecs_task_definition')
    expect(formatEstimate(elsewhere)).toContain('Total: an amount this project cannot estimate (its price table has no prices for eu-west-1)')
  })
})
