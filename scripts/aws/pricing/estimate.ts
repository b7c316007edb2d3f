import { FREE, HOURS_PER_MONTH, PRICES, USAGE_BASED, type Price, type RegionPrices } from './prices.js'

/** A synthesized stack's Terraform JSON. */
type StackJson = { resource?: Record<string, Record<string, any>> }

export interface CostLine {
  readonly stack: string
  /** The resource by its construct path inside the stack, e.g. `api/service`. */
  readonly resource: string
  readonly what: string
  readonly count: number
  /** Dollars an hour for one. */
  readonly each: number
  readonly hourly: number
  readonly source: string
}

export interface Unpriced {
  readonly stack: string
  readonly resource: string
  readonly type: string
  readonly why: string
}

export interface CostEstimate {
  readonly region: string
  readonly lines: readonly CostLine[]
  /**
   * Every line's hourly figure added up: what the deployment costs an hour as it stands.
   * Undefined in a region the price table lacks: no figure, rather than a wrong one.
   */
  readonly hourly: number | undefined
  /** Billed, but missing from the table: never counted as free. */
  readonly notPriced: readonly Unpriced[]
  /** Billed by use: not in the total, with what they come to while idle. */
  readonly usageBased: readonly Unpriced[]
  /** Services an autoscaler may grow: what each task beyond the count above adds. */
  readonly scaling: readonly { stack: string; resource: string; upTo: number; eachTask: number }[]
}

const perHour = (price: Price) => (/month/.test(price.unit) ? price.usd / HOURS_PER_MONTH : price.usd)
const pathOf = (block: any, fallback: string) => String(block['//']?.metadata?.path ?? fallback).split('/').slice(1).join('/')
/** `${aws_ecs_task_definition.api_task_1A2B.arn}` → that resource's name, if the value is such a reference. */
const referencedName = (value: unknown, type: string) => new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.`).exec(String(value))?.[1]

class Estimator {
  readonly lines: CostLine[] = []
  readonly notPriced: Unpriced[] = []
  readonly usageBased: Unpriced[] = []
  readonly scaling: { stack: string; resource: string; upTo: number; eachTask: number }[] = []

  constructor(
    private readonly prices: RegionPrices,
    private readonly stack: string,
    private readonly resources: Record<string, Record<string, any>>,
  ) {}

  private add(resource: string, what: string, count: number, price: Price, each = perHour(price)) {
    this.lines.push({ stack: this.stack, resource, what, count, each, hourly: count * each, source: price.source })
  }

  private unpriced(resource: string, type: string, why: string) {
    this.notPriced.push({ stack: this.stack, resource, type, why })
  }

  ecsService(name: string, service: any, resource: string) {
    const taskName = referencedName(service.task_definition, 'aws_ecs_task_definition')
    const task = taskName ? this.resources.aws_ecs_task_definition?.[taskName] : undefined
    const arch = task?.runtime_platform?.cpu_architecture ?? 'X86_64'
    const fargate = this.prices.fargate[arch as 'X86_64' | 'ARM64']
    if (!task || !fargate || service.launch_type !== 'FARGATE') return this.unpriced(resource, 'aws_ecs_service', 'not a Fargate service whose task definition is in this stack')
    const count = Number(service.desired_count ?? 0)
    const vcpu = Number(task.cpu) / 1024
    const gb = Number(task.memory) / 1024
    const perTask = vcpu * fargate.vcpuHour.usd + gb * fargate.gbHour.usd
    this.add(resource, `Fargate task, ${vcpu} vCPU and ${gb} GB, ${arch}`, count, fargate.vcpuHour, perTask)
    const publicIp = service.network_configuration?.assign_public_ip === true
    if (publicIp) this.add(resource, 'public IPv4 address of each task', count, this.prices.publicIpv4Hour)
    const target = Object.values(this.resources.aws_appautoscaling_target ?? {}).find((t: any) => String(t.resource_id).includes(`aws_ecs_service.${name}.`))
    if (target) this.scaling.push({ stack: this.stack, resource, upTo: Number(target.max_capacity), eachTask: perTask + (publicIp ? perHour(this.prices.publicIpv4Hour) : 0) })
  }

  loadBalancer(lb: any, resource: string) {
    if ((lb.load_balancer_type ?? 'application') !== 'application') return this.unpriced(resource, 'aws_lb', `a ${lb.load_balancer_type} load balancer`)
    this.add(resource, 'application load balancer', 1, this.prices.applicationLoadBalancerHour)
    if (lb.internal === true) return
    if (!Array.isArray(lb.subnets)) return this.unpriced(resource, 'aws_lb', 'its public IPv4 addresses: one per subnet, and the number of subnets is only known at apply')
    this.add(resource, 'public IPv4 address in each subnet it spans', lb.subnets.length, this.prices.publicIpv4Hour)
  }

  database(name: string, db: any, resource: string) {
    const state = Object.values(this.resources.aws_rds_instance_state ?? {}).find((s: any) => referencedName(s.identifier, 'aws_db_instance') === name)
    const instance = this.prices.rdsInstanceHour[db.instance_class]
    if (!instance) this.unpriced(resource, 'aws_db_instance', `no price for the instance class ${db.instance_class}`)
    else if (state?.state === 'stopped') this.add(resource, `RDS ${db.instance_class}, stopped: no instance hours`, 0, instance)
    else this.add(resource, `RDS ${db.instance_class}`, 1, instance)
    if ((db.storage_type ?? 'gp2') === 'gp2') this.add(resource, 'gp2 storage, per GB', Number(db.allocated_storage), this.prices.gp2GbMonth)
    else this.unpriced(resource, 'aws_db_instance', `no price for ${db.storage_type} storage`)
    if (db.manage_master_user_password === true) this.add(resource, 'Secrets Manager secret (RDS keeps the password)', 1, this.prices.secretMonth)
  }

  /** A paused database (constructs/database.ts): its snapshot, billed for what it holds, at most the storage it came from. */
  pausedDatabase(record: any, resource: string) {
    this.add(resource, `RDS snapshot of the paused database, up to ${record.input.allocated_storage} GB`, Number(record.input.allocated_storage), this.prices.snapshotGbMonth)
  }

  visit(type: string, name: string, block: any) {
    const resource = pathOf(block, name)
    if (type === 'terraform_data' && block.input?.db_snapshot_identifier) this.pausedDatabase(block, resource)
    else if (type === 'aws_ecs_service') this.ecsService(name, block, resource)
    else if (type === 'aws_lb') this.loadBalancer(block, resource)
    else if (type === 'aws_db_instance') this.database(name, block, resource)
    else if (type === 'aws_secretsmanager_secret') this.add(resource, 'Secrets Manager secret', 1, this.prices.secretMonth)
    else if (type === 'aws_cloudwatch_metric_alarm') this.add(resource, 'CloudWatch alarm', 1, this.prices.alarmMonth)
    else if (!FREE.has(type) && !USAGE_BASED[type]) this.unpriced(resource, type, 'not in the price table')
    if (USAGE_BASED[type]) this.usageBased.push({ stack: this.stack, resource, type, why: USAGE_BASED[type]! })
  }
}

/**
 * What the synthesized stacks cost an hour in `region` at AWS's on-demand prices: each billed
 * resource by what the JSON says it runs (task counts, sizes and architecture, load balancer
 * subnets, instance class and storage, a stopped database), a resource the table has no price
 * for listed apart, and what bills by use named beside the total.
 */
export function estimateCost(stacks: Readonly<Record<string, StackJson>>, region: string): CostEstimate {
  const prices = PRICES[region]
  if (!prices) {
    const regions = Object.keys(PRICES).join(' and ')
    const notPriced = Object.entries(stacks).flatMap(([stack, json]) =>
      Object.entries(json.resource ?? {})
        .filter(([type]) => !FREE.has(type))
        .flatMap(([type, byName]) => Object.entries(byName).map(([name, block]) => ({ stack, resource: pathOf(block, name), type, why: `the price table has ${regions} only` }))),
    )
    return { region, lines: [], hourly: undefined, notPriced, usageBased: [], scaling: [] }
  }
  const lines: CostLine[] = []
  const notPriced: Unpriced[] = []
  const usageBased: Unpriced[] = []
  const scaling: CostEstimate['scaling'][number][] = []
  for (const [stack, json] of Object.entries(stacks)) {
    const estimator = new Estimator(prices, stack, json.resource ?? {})
    for (const [type, byName] of Object.entries(json.resource ?? {})) for (const [name, block] of Object.entries(byName)) estimator.visit(type, name, block)
    lines.push(...estimator.lines)
    notPriced.push(...estimator.notPriced)
    usageBased.push(...estimator.usageBased)
    scaling.push(...estimator.scaling)
  }
  const order = Object.keys(stacks)
  lines.sort((a, b) => order.indexOf(a.stack) - order.indexOf(b.stack) || a.resource.localeCompare(b.resource))
  return { region, lines, hourly: lines.reduce((sum, line) => sum + line.hourly, 0), notPriced, usageBased, scaling }
}
