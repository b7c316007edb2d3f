import { runSimulation } from '@cloud-copilot/iam-simulate'
import { json, synthAll } from '../stacks/synth.js'

export type TaskService = 'api' | 'worker'

/** A role's identity policy as IAM reads it, with real ARNs. */
export interface RolePolicy {
  readonly roleArn: string
  readonly statements: ReadonlyArray<{ readonly actions: readonly string[]; readonly resources: readonly string[] }>
}

const FAMILY: Record<TaskService, string> = { api: 'taskoverflow-api', worker: 'taskoverflow-worker' }
/** What a statement may hold for this check to read it whole; an Effect other than Allow, a condition, a NotAction would change its meaning. */
const READ_KEYS = new Set(['actions', 'resources'])

/** `${data.terraform_remote_state.cross-stack-reference-input-STACK.outputs.NAME}` → what it reads, as `ical-queue/queue.arn`. */
function readableReference(stacks: Record<string, any>, reference: string): string {
  const match = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)\}$/.exec(reference)
  if (!match) throw new Error(`${reference} is no other stack's output`)
  const [, producer, output] = match
  const value: string = stacks[producer!]?.output?.[output!]?.value
  const target = /^\$\{([a-z0-9_]+)\.([\w-]+)\.(.+)\}$/.exec(value ?? '')
  if (!target) throw new Error(`${reference}: stack ${producer} has no output ${output} that names a resource`)
  const [, type, name, attribute] = target
  const path: string = stacks[producer!].resource[type!][name!]['//'].metadata.path
  return `${path.split('/').slice(1).join('/')}.${attribute}`
}

/**
 * The policy each task runs with in create-roles mode, as synthesized: the task definition's
 * task role, the inline policies on that role, their documents' statements. A resource is
 * another stack's output, given here by what it reads (`ical-queue/queue.arn`) in `arns`, so the
 * policy names the queues and secret a test really used. Anything this cannot read whole (a
 * managed policy, a condition) is an error rather than a guess. The execution role is ECS's
 * (AWS's managed policy) and LabRole is the Lab's: neither is checked here.
 */
export function taskRolePolicies(arns: Record<string, string>, accountId: string): Record<TaskService, RolePolicy> {
  const stacks = Object.fromEntries(Object.entries(synthAll({ TASKOVERFLOW_IAM_MODE: 'create-roles' })).map(([name, text]) => [name, json(text!)]))
  const services = stacks['taskoverflow-services']
  const policyOf = (service: TaskService): RolePolicy => {
    const task = Object.values<any>(services.resource.aws_ecs_task_definition).find((t) => t.family === FAMILY[service])
    const roleAddress = /^\$\{aws_iam_role\.([\w-]+)\.arn\}$/.exec(task?.task_role_arn ?? '')?.[1]
    if (!roleAddress) throw new Error(`the ${FAMILY[service]} task runs as no role of the stack's own: ${task?.task_role_arn}`)
    const onRole = (attachment: any) => attachment.role.startsWith(`\${aws_iam_role.${roleAddress}.`)
    if (Object.values<any>(services.resource.aws_iam_role_policy_attachment ?? {}).some(onRole)) throw new Error(`the ${service} role has a managed policy, which this check cannot read`)
    const statements = Object.values<any>(services.resource.aws_iam_role_policy ?? {})
      .filter(onRole)
      .flatMap((inline) => services.data.aws_iam_policy_document[/^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(inline.policy)![1]!].statement as any[])
      .map((statement) => {
        const unread = Object.keys(statement).filter((key) => !READ_KEYS.has(key))
        if (unread.length > 0) throw new Error(`a statement of the ${service} role has ${unread.join(', ')}, which this check does not read`)
        const resources = (statement.resources as string[]).map((reference) => {
          const readable = readableReference(stacks, reference)
          if (!arns[readable]) throw new Error(`the ${service} role names ${readable}, for which the test gave no ARN`)
          return arns[readable]!
        })
        return { actions: statement.actions as string[], resources }
      })
    return { roleArn: `arn:aws:iam::${accountId}:role/${services.resource.aws_iam_role[roleAddress].name}`, statements }
  }
  return { api: policyOf('api'), worker: policyOf('worker') }
}

/** IAM's decision, by an offline evaluator of AWS's rules (iam-simulate), on the role doing `action` to `resource`. */
export async function roleAllows(policy: RolePolicy, action: string, resource: string): Promise<boolean> {
  const document = { Version: '2012-10-17', Statement: policy.statements.map((s) => ({ Effect: 'Allow', Action: s.actions, Resource: s.resources })) }
  const result = await runSimulation(
    {
      request: { principal: policy.roleArn, action, resource: { resource, accountId: resource.split(':')[4] ?? '' }, contextVariables: {} },
      identityPolicies: [{ name: 'inline', policy: document }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  )
  // An action IAM does not know, or a resource of the wrong kind for it, is a mistake in the test or the role.
  if (result.resultType === 'error') throw new Error(`cannot evaluate ${action} on ${resource}: ${JSON.stringify(result.errors)}`)
  return result.overallResult === 'Allowed'
}
