/**
 * What `terraform test` with `mock_provider "aws"` needs beside a synthesized stack, generated from
 * the JSON so that the .tftest.hcl files in test/terraform/mock/ name nothing that a refactor
 * renames: readable aliases of every resource, and the other stacks' outputs as the
 * `terraform_remote_state` data sources would read them after a real deploy.
 */
import { createHash } from 'node:crypto'

const ACCOUNT = '123456789012'

type StackJson = Record<string, any>

/** `taskoverflow-services/api/task` → `api_task`: the construct path inside the stack, as an identifier. */
function aliasOf(path: string): string {
  return path.split('/').slice(1).join('_').replace(/-/g, '_')
}

/**
 * A configuration file with one output per resource and data source, named by its construct path
 * (`output.api_task`, `output.data_roles_lab_role`), so assertions read like the stack's code;
 * and `output.resources_of_type["aws_..."]`, every resource of a type, for assertions that
 * something is the only one of its kind.
 */
export function aliasOutputs(stack: StackJson): StackJson {
  const output: Record<string, { value: unknown; sensitive: true }> = {}
  output.resources_of_type = {
    value: Object.fromEntries(Object.entries<Record<string, unknown>>(stack.resource ?? {}).map(([type, byName]) => [type, `\${[${Object.keys(byName).map((name) => `${type}.${name}`).join(', ')}]}`])),
    sensitive: true,
  }
  for (const [kind, prefix, addressPrefix] of [['resource', '', ''], ['data', 'data_', 'data.']] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(stack[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const path = block['//']?.metadata?.path
        if (!path) continue
        const alias = prefix + aliasOf(path)
        if (output[alias]) throw new Error(`two resources alias to ${alias}`)
        output[alias] = { value: `\${${addressPrefix}${type}.${name}}`, sensitive: true }
      }
    }
  }
  return { output }
}

/** The address, attribute path and configuration of what an output's `${...}` refers to. */
function referent(stack: StackJson, expression: string) {
  const match = /^\$\{(data\.)?([a-z0-9_]+)\.([\w-]+)\.(.+)\}$/.exec(expression)
  if (!match) throw new Error(`cannot fake the output ${expression}: not a plain reference`)
  const [, data, type, name, attribute] = match
  const block = stack[data ? 'data' : 'resource']?.[type!]?.[name!]
  if (!block) throw new Error(`${expression} names nothing in the stack`)
  return { type: `${data ? 'data.' : ''}${type}`, attribute: attribute!, block, path: block['//']?.metadata?.path as string }
}

const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)

/**
 * The value AWS (or the docker provider) would give an attribute, built from the resource's own
 * arguments: a queue URL from its name, a repository URL from its name, a digest per image.
 * An attribute without a rule fails loudly, so a new cross-stack output gets a rule on purpose.
 */
function fakeValue(type: string, attribute: string, block: any, path: string, region: string): unknown {
  const rules: Record<string, () => unknown> = {
    'aws_sqs_queue.url': () => `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${block.name}`,
    'aws_sqs_queue.name': () => block.name,
    'aws_sqs_queue.arn': () => `arn:aws:sqs:${region}:${ACCOUNT}:${block.name}`,
    'aws_db_instance.address': () => `${block.identifier}.c${hex(path, 10)}.${region}.rds.amazonaws.com`,
    'aws_db_instance.master_user_secret[0].secret_arn': () => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:rds!db-${hex(path, 8)}-AbCdEf`,
    'aws_secretsmanager_secret.arn': () => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${block.name}-AbCdEf`,
    'aws_ecr_repository.repository_url': () => `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${block.name}`,
    'aws_security_group.id': () => `sg-0${hex(path, 16)}`,
    'data.aws_subnet.id': () => `subnet-0${hex(path, 16)}`,
    'data.aws_vpc.id': () => `vpc-0${hex(path, 16)}`,
    'docker_registry_image.sha256_digest': () => `sha256:${hex(path, 64)}`,
  }
  const rule = rules[`${type}.${attribute}`]
  if (!rule) throw new Error(`no fake value for ${type}.${attribute} (output of ${path}): add a rule to test/support/terraform-mock.ts`)
  return rule()
}

/** The outputs cdktf writes for other stacks to read. */
const crossStackOutputs = (stack: StackJson) => Object.entries<any>(stack.output ?? {}).filter(([name]) => name.startsWith('cross-stack-output-'))

/**
 * Every cross-stack output of a stack, faked as after a deploy: its name, what it reads as
 * (`database/instance.address`, its construct path inside the stack and attribute) and its value.
 */
function fakeOutputs(stack: StackJson, region: string): Array<{ name: string; readable: string; value: unknown }> {
  return crossStackOutputs(stack).map(([name, output]) => {
    const { type, attribute, block, path } = referent(stack, output.value)
    return { name, readable: `${path.split('/').slice(1).join('/')}.${attribute}`, value: fakeValue(type, attribute, block, path, region) }
  })
}

/**
 * For a stack that reads others through terraform_remote_state: the test file's `override_data`
 * blocks, each giving exactly the cross-stack outputs the producing stack declares. Reading an
 * output the producer does not declare then fails the plan, as it would after a real deploy.
 */
export function remoteStateOverrides(consumer: StackJson, producers: Record<string, StackJson>, region: string): string {
  return Object.keys(consumer.data?.terraform_remote_state ?? {})
    .map((name) => {
      const producer = name.replace(/^cross-stack-reference-input-/, '')
      const stack = producers[producer]
      if (!stack) throw new Error(`${name} reads stack ${producer}, which the test was not given`)
      const outputs = Object.fromEntries(fakeOutputs(stack, region).map((output) => [output.name, output.value]))
      return `override_data {\n  target = data.terraform_remote_state.${name}\n  values = { outputs = ${JSON.stringify(outputs)} }\n}\n`
    })
    .join('\n')
}

/** The faked outputs by readable name (`database/instance.address`), for assertions: `output.remote["..."]`. */
export function readableRemoteOutputs(producers: Record<string, StackJson>, region: string): StackJson {
  const value = Object.fromEntries(Object.values(producers).flatMap((stack) => fakeOutputs(stack, region).map((output) => [output.readable, output.value])))
  return { output: { remote: { value } } }
}

/** The ARN AWS would give a resource of each type whose ARN another resource uses (and the provider validates). */
const ARNS: Record<string, (name: string, region: string) => Record<string, string>> = {
  aws_iam_role: (name) => ({ arn: `arn:aws:iam::${ACCOUNT}:role/${name}` }),
  aws_lb: (name, region) => ({ arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/${name}/${hex(name, 16)}` }),
  aws_lb_target_group: (name, region) => ({ arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/${name}/${hex(name, 16)}` }),
  aws_lb_listener: (name, region) => ({ arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener/app/${name}/${hex(name, 16)}/${hex(`${name}l`, 16)}` }),
  aws_appautoscaling_policy: (name, region) => ({ arn: `arn:aws:autoscaling:${region}:${ACCOUNT}:scalingPolicy:${hex(name, 8)}-0000-0000-0000-000000000000:resource/ecs/service/mock:policyName/${name}` }),
  aws_ecs_cluster: (name, region) => ({ arn: `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${name}`, id: `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${name}` }),
  aws_ecs_task_definition: (name, region) => ({ arn: `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${name}:1` }),
  aws_sqs_queue: (name, region) => ({ arn: `arn:aws:sqs:${region}:${ACCOUNT}:${name}`, url: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}` }),
  aws_secretsmanager_secret: (name, region) => ({ arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf` }),
}

/**
 * `override_resource` and `override_data` blocks for the test file: each resource whose ARN
 * others use gets its own ARN, named after its construct path (a shared mock default would let
 * the API's role pass for the worker's), and each policy document its own JSON.
 */
export function mockOverrides(stack: StackJson, region: string): string {
  const blocks: string[] = []
  for (const [type, byName] of Object.entries<Record<string, any>>(stack.resource ?? {})) {
    const arn = ARNS[type]
    if (!arn) continue
    for (const [name, block] of Object.entries(byName)) {
      const alias = aliasOf(block['//'].metadata.path).replace(/_/g, '-')
      blocks.push(`override_resource {\n  target = ${type}.${name}\n  values = ${hclObject(arn(alias, region))}\n}\n`)
    }
  }
  for (const [name, block] of Object.entries<any>(stack.data?.aws_iam_policy_document ?? {})) {
    const json = JSON.stringify({ Version: '2012-10-17', Id: aliasOf(block['//'].metadata.path) })
    blocks.push(`override_data {\n  target = data.aws_iam_policy_document.${name}\n  values = ${hclObject({ json })}\n}\n`)
  }
  return blocks.join('\n')
}

/** `{ key = "value", ... }`: JSON strings are HCL strings. */
const hclObject = (values: Record<string, string>) => `{ ${Object.entries(values).map(([key, value]) => `${key} = ${JSON.stringify(value)}`).join(', ')} }`
