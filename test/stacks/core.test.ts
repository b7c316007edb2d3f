import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js'
import { describe, expect, it } from '@jest/globals'
import { jobTiming } from '../../containers/shared/src/job-timing.js'
import { json, resources, synthAll } from './synth.js'

const { 'taskoverflow-core': core } = synthAll()

describe('taskoverflow-core', () => {
  it('makes the job queue ical, long-polled, dead-lettering a job after 5 receives into ical-dlq, which keeps it 14 days', () => {
    expect(core).toHaveResourceWithProperties(SqsQueue, { name: 'ical', receive_wait_time_seconds: 20, redrive_policy: expect.stringContaining('"maxReceiveCount" = 5') })
    expect(core).toHaveResourceWithProperties(SqsQueue, { name: 'ical-dlq', message_retention_seconds: 1_209_600 })
  })

  it("keeps a job's message for the time the services count on when one is never taken (4 days)", () => {
    expect(core).toHaveResourceWithProperties(SqsQueue, { name: 'ical', message_retention_seconds: jobTiming().messageRetentionSeconds })
    expect(jobTiming().messageRetentionSeconds).toBe(4 * 86_400)
  })

  it('sizes the visibility timeout to outlast the worker, including its artificial delay', () => {
    expect(core).toHaveResourceWithProperties(SqsQueue, { name: 'ical', visibility_timeout_seconds: 60 })
    const slow = synthAll({ TASKOVERFLOW_WORKER_DELAY_SECONDS: '50' })['taskoverflow-core']
    expect(slow).toHaveResourceWithProperties(SqsQueue, { name: 'ical', visibility_timeout_seconds: 130 })
  })

  it("lets the network's task group, and it alone, reach the database, in the network's VPC", () => {
    expect(Object.values(resources(core, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(1)
    const groups = resources(core, 'aws_security_group')
    const [tasks] = Object.entries(groups).find(([, g]) => g.name === 'taskoverflow-tasks')!
    const [database, group] = Object.entries(groups).find(([, g]) => g.name === 'taskoverflow-database')!
    expect(core).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: `\${aws_security_group.${database}.id}`,
      referenced_security_group_id: `\${aws_security_group.${tasks}.id}`,
    })
    const [vpc] = Object.keys(json(core).data.aws_vpc)
    expect(group.vpc_id).toBe(`\${data.aws_vpc.${vpc}.id}`)
  })

  it("has a repository for each service's images", () => {
    expect(Object.values(resources(core, 'aws_ecr_repository')).map((repository) => repository.name).sort()).toEqual(['taskoverflow/api', 'taskoverflow/worker'])
  })

  it("outputs each queue's and each repository's URL, and the database details only as sensitive", () => {
    const { output } = json(core)
    const key = (type: string, name: string) => Object.entries(resources(core, type)).find(([, made]) => made.name === name)![0]
    expect(output.api_repository_url.value).toBe(`\${aws_ecr_repository.${key('aws_ecr_repository', 'taskoverflow/api')}.repository_url}`)
    expect(output.worker_repository_url.value).toBe(`\${aws_ecr_repository.${key('aws_ecr_repository', 'taskoverflow/worker')}.repository_url}`)
    expect(output.ical_queue_url.value).toBe(`\${aws_sqs_queue.${key('aws_sqs_queue', 'ical')}.url}`)
    expect(output.ical_dead_letter_queue_url.value).toBe(`\${aws_sqs_queue.${key('aws_sqs_queue', 'ical-dlq')}.url}`)
    expect(output.database_url.sensitive).toBe(true)
    expect(output.database_secret_arn.sensitive).toBe(true)
  })

  it('spreads the network over as many zones as the settings say, two by default', () => {
    expect(Object.keys(json(core).data.aws_subnet)).toHaveLength(2)
    expect(Object.keys(json(synthAll({ TASKOVERFLOW_AVAILABILITY_ZONES: '3' })['taskoverflow-core']).data.aws_subnet)).toHaveLength(3)
  })

  it("gives the database the settings' password mode and backups: RDS's own password and none kept in the Learner Lab by default", () => {
    expect(core).toHaveResourceWithProperties(DbInstance, { manage_master_user_password: true, backup_retention_period: 0 })
    const elsewhere = synthAll({ TASKOVERFLOW_IAM_MODE: 'create-roles', TASKOVERFLOW_DB_PASSWORD_MODE: 'generated' })['taskoverflow-core']
    const [instance] = Object.values(resources(elsewhere, 'aws_db_instance'))
    expect(instance).not.toHaveProperty('backup_retention_period')
    expect(instance).not.toHaveProperty('manage_master_user_password')
    expect(instance.password).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.[\w-]+\.random_password\}$/)
  })

  it('paused, keeps what holds data (queues, repositories, the database as its snapshot) and no instance, and says which snapshot', () => {
    const paused = synthAll({ TASKOVERFLOW_PAUSED: 'true' })['taskoverflow-core']
    expect(resources(paused, 'aws_db_instance')).toEqual({})
    expect(Object.values(resources(paused, 'aws_sqs_queue')).map((queue) => queue.name).sort()).toEqual(['ical', 'ical-dlq'])
    expect(Object.values(resources(paused, 'aws_ecr_repository')).map((repository) => repository.name).sort()).toEqual(['taskoverflow/api', 'taskoverflow/worker'])
    expect(json(paused).output.database_snapshot.value).toBe('taskoverflow-database-paused')
    expect(json(paused).output).not.toHaveProperty('database_url')
  })

  it('resumed, creates the database from the snapshot the pause left', () => {
    const resumed = synthAll({ TASKOVERFLOW_RESTORE_FROM_SNAPSHOT: 'true' })['taskoverflow-core']
    expect(resumed).toHaveResourceWithProperties(DbInstance, { snapshot_identifier: json(core).output.database_snapshot.value })
  })
})
