import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js'
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role/index.js'
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js'
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js'
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { describe, expect, it } from '@jest/globals'
import type { IamMode } from '../../../stacks/config.js'
import { TaskRoles } from '../../../stacks/constructs/task-roles.js'
import { dataSources, json, ref, resources, synthConstruct } from './synth-construct.js'

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc'

function synthRoles(mode: IamMode) {
  return synthConstruct((scope) => {
    const queue = new SqsQueue(scope, 'jobs', { name: 'jobs' })
    const deadLetterQueue = new SqsQueue(scope, 'jobs-dlq', { name: 'jobs-dlq' })
    return { queue, deadLetterQueue, roles: new TaskRoles(scope, 'roles', { name: 'taskoverflow', mode, queue, deadLetterQueue, databaseSecretArn: SECRET }) }
  })
}

/** The statements a role's inline policy allows, with its queues written `jobs` and `jobs-dlq`. */
function allowed({ synthesized, made }: ReturnType<typeof synthRoles>, role: 'api' | 'worker') {
  const document = Object.entries(dataSources(synthesized, 'aws_iam_policy_document')).find(([key]) => key.startsWith(`roles_${role}-policy_`))!
  const queues: Record<string, string> = { [ref(made.queue, 'arn')]: 'jobs', [ref(made.deadLetterQueue, 'arn')]: 'jobs-dlq' }
  expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, { name: `taskoverflow-${role}`, policy: `\${data.aws_iam_policy_document.${document[0]}.json}` })
  return document[1].statement.map((statement: any) => ({ ...statement, resources: statement.resources.map((arn: string) => queues[arn] ?? arn) }))
}

describe('TaskRoles in the Learner Lab', () => {
  const roles = synthRoles('learner-lab')

  it('runs everything as the existing LabRole and creates no role, which the Lab forbids', () => {
    const { synthesized, made } = roles
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamRole, { name: 'LabRole' })
    const [labRole] = Object.keys(dataSources(synthesized, 'aws_iam_role'))
    const arns = roles.resolve([made.roles.executionRoleArn, made.roles.apiRoleArn, made.roles.workerRoleArn])
    expect(arns).toEqual(Array(3).fill(`\${data.aws_iam_role.${labRole}.arn}`))
    expect(Object.keys(json(synthesized).resource)).toEqual(['aws_sqs_queue'])
    expect(made.roles.grants).toEqual([])
  })
})

describe('TaskRoles in an account of your own', () => {
  const roles = synthRoles('create-roles')
  const { synthesized, made } = roles

  it('creates an execution role, an API role and a worker role that only ECS tasks can take on, and never looks up LabRole', () => {
    expect(dataSources(synthesized, 'aws_iam_role')).toEqual({})
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] }],
    })
    const [trust] = Object.keys(dataSources(synthesized, 'aws_iam_policy_document')).filter((key) => key.startsWith('roles_ecs-tasks-trust_'))
    for (const role of ['execution', 'api', 'worker']) {
      expect(synthesized).toHaveResourceWithProperties(IamRole, { name: `taskoverflow-${role}`, assume_role_policy: `\${data.aws_iam_policy_document.${trust}.json}` })
    }
    const arns = roles.resolve([made.roles.executionRoleArn, made.roles.apiRoleArn, made.roles.workerRoleArn])
    expect(arns).toEqual(['execution', 'api', 'worker'].map((role) => `\${aws_iam_role.${Object.keys(resources(synthesized, 'aws_iam_role')).find((key) => key.startsWith(`roles_${role}_`))}.arn}`))
  })

  it("gives the execution role AWS's managed policy for starting tasks, and nothing of its own: the tasks read the secret, not ECS", () => {
    const [execution] = Object.keys(resources(synthesized, 'aws_iam_role')).filter((key) => key.startsWith('roles_execution_'))
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: `\${aws_iam_role.${execution}.name}`,
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    })
    expect(Object.values(resources(synthesized, 'aws_iam_role_policy')).map((policy) => policy.name).sort()).toEqual(['taskoverflow-api', 'taskoverflow-worker'])
  })

  it("lets the API send jobs, read both queues' counts and read the database password, and nothing else", () => {
    expect(allowed(roles, 'api')).toEqual([
      { actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: ['jobs'] },
      { actions: ['sqs:GetQueueAttributes'], resources: ['jobs-dlq'] },
      { actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] },
    ])
  })

  // The worker sends too: it runs the reconciler, which sends again the jobs an API recorded and never sent.
  it('lets the worker take, finish, hold back and send jobs on the job queue alone, and read the database password', () => {
    expect(allowed(roles, 'worker')).toEqual([
      { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage'], resources: ['jobs'] },
      { actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] },
    ])
  })

  it('gives what a task must wait for: both inline policies and the managed policy attachment', () => {
    expect(made.roles.grants.map((grant) => (grant as IamRolePolicy).friendlyUniqueId).sort()).toEqual(
      [...Object.keys(resources(synthesized, 'aws_iam_role_policy')), ...Object.keys(resources(synthesized, 'aws_iam_role_policy_attachment'))].sort(),
    )
  })
})
