import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document'
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role'
import { IamRole } from '@cdktf/provider-aws/lib/iam-role'
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy'
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment'
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue'
import type { ITerraformDependable } from 'cdktf'
import { Construct } from 'constructs'
import { LEARNER_LAB_ROLE, type IamMode } from '../config'

export interface TaskRolesProps {
  /** Prefix of role names. */
  readonly name: string
  /** `learner-lab`: use the existing LabRole (the Lab forbids creating roles). */
  readonly mode: IamMode
  readonly queue: SqsQueue
  /** The API reads its count for the pipeline view. */
  readonly deadLetterQueue: SqsQueue
  /** The database password secret the tasks read. */
  readonly databaseSecretArn: string
}

const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'

/**
 * The roles ECS uses to start the tasks (pull images, write logs, read the database secret)
 * and the roles the API and the worker run as. In an ordinary account each gets only what it
 * needs: the API may send to the queue and read both queues' counts, the worker may receive
 * and delete from it, and both may send to it, since both run the reconciler, which sends again
 * the jobs an API recorded and never sent. Neither looks a queue up by name (sqs:GetQueueUrl):
 * they are given URLs. test/integration/task-roles.test.ts checks each role against the calls
 * its service makes.
 */
export class TaskRoles extends Construct {
  readonly executionRoleArn: string
  readonly apiRoleArn: string
  readonly workerRoleArn: string
  /** What must exist before a task starts: the roles' policies (none in learner-lab mode). */
  readonly grants: ITerraformDependable[] = []

  constructor(scope: Construct, id: string, props: TaskRolesProps) {
    super(scope, id)
    if (props.mode === 'learner-lab') {
      const labRole = new DataAwsIamRole(this, 'lab-role', { name: LEARNER_LAB_ROLE })
      this.executionRoleArn = this.apiRoleArn = this.workerRoleArn = labRole.arn
      return
    }

    const assume = new DataAwsIamPolicyDocument(this, 'ecs-tasks-trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] }],
    })
    const role = (roleId: string, description: string, statements: Array<{ actions: string[]; resources: string[] }>) => {
      const created = new IamRole(this, roleId, { name: `${props.name}-${roleId}`, description, assumeRolePolicy: assume.json })
      if (statements.length > 0) {
        const document = new DataAwsIamPolicyDocument(this, `${roleId}-policy`, { statement: statements })
        this.grants.push(new IamRolePolicy(this, `${roleId}-inline`, { name: `${props.name}-${roleId}`, role: created.id, policy: document.json }))
      }
      return created
    }
    // The tasks read the database password themselves (again after a rotation), so they, not
    // ECS, need the secret.
    const readPassword = { actions: ['secretsmanager:GetSecretValue'], resources: [props.databaseSecretArn] }

    const execution = role('execution', 'Starts the TaskOverflow tasks', [])
    this.grants.push(new IamRolePolicyAttachment(this, 'execution-managed', { role: execution.name, policyArn: EXECUTION_POLICY }))
    const api = role('api', 'The TaskOverflow API', [
      { actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: [props.queue.arn] },
      { actions: ['sqs:GetQueueAttributes'], resources: [props.deadLetterQueue.arn] },
      readPassword,
    ])
    // SendMessage for the reconciler's SendMessageBatch: batch operations have no IAM actions of
    // their own, each is allowed by its single-message action, as DeleteMessage allows the
    // worker's DeleteMessageBatch (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
    const worker = role('worker', 'The TaskOverflow calendar worker', [
      { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage'], resources: [props.queue.arn] },
      readPassword,
    ])
    this.executionRoleArn = execution.arn
    this.apiRoleArn = api.arn
    this.workerRoleArn = worker.arn
  }
}
