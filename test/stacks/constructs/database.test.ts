import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password/index.js'
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js'
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js'
import { RdsInstanceState } from '@cdktf/provider-aws/lib/rds-instance-state/index.js'
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js'
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js'
import { describe, expect, it } from '@jest/globals'
import { Database, type DatabaseProps } from '../../../stacks/constructs/database.js'
import { POSTGRES_MAJOR_VERSION } from '../../../stacks/postgres-version.js'
import { json, ref, resources, synthConstruct } from './synth-construct.js'

/** The construct alone in a test stack, beside the VPC and the clients' security group it is given. */
function synthDatabase(props: Partial<DatabaseProps> = {}) {
  return synthConstruct((scope) => {
    const vpc = new DataAwsVpc(scope, 'vpc', { default: true })
    const clients = new SecurityGroup(scope, 'tasks', { name: 'tasks', vpcId: vpc.id })
    return { vpc, clients, database: new Database(scope, 'database', { name: 'taskoverflow', vpc, clientSecurityGroup: clients, ...props }) }
  })
}
const instanceOf = (synthesized: string) => Object.values(resources(synthesized, 'aws_db_instance'))[0]

describe('Database', () => {
  it('runs PostgreSQL as the practical does by default: db.t4g.micro, 20 GB of gp2, encrypted, private, with a password RDS generates', () => {
    const { synthesized, made } = synthDatabase()
    expect(synthesized).toHaveResourceWithProperties(DbInstance, {
      engine: 'postgres',
      engine_version: String(POSTGRES_MAJOR_VERSION),
      instance_class: 'db.t4g.micro',
      allocated_storage: 20,
      storage_type: 'gp2',
      storage_encrypted: true,
      db_name: 'todo',
      username: 'taskoverflow',
      port: 5432,
      publicly_accessible: false,
      manage_master_user_password: true,
      vpc_security_group_ids: [ref(made.database.securityGroup, 'id')],
    })
    expect(instanceOf(synthesized)).not.toHaveProperty('password')
    // RDS's own backup default applies unless told otherwise.
    expect(instanceOf(synthesized)).not.toHaveProperty('backup_retention_period')
    expect(made.database.allocatedStorageGb).toBe(20)
  })

  it('takes the instance class, storage, engine version, database name and user it is given', () => {
    const { synthesized, made, resolve } = synthDatabase({ instanceClass: 'db.t4g.small', allocatedStorage: 50, engineVersion: '16', databaseName: 'calendars', username: 'owner' })
    expect(synthesized).toHaveResourceWithProperties(DbInstance, { instance_class: 'db.t4g.small', allocated_storage: 50, engine_version: '16', db_name: 'calendars', username: 'owner' })
    expect(made.database.allocatedStorageGb).toBe(50)
    expect(resolve(made.database.connectionUrl)).toMatch(/^postgresql:\/\/owner@\$\{[^}]+\}:5432\/calendars\?sslmode=verify-full$/)
  })

  it('gives its connection string without the password, and the ARN of the secret RDS keeps the password in', () => {
    const { made, resolve } = synthDatabase()
    const instance = made.database.instance!
    expect(resolve(made.database.connectionUrl)).toBe(`postgresql://taskoverflow@${ref(instance, 'address')}:5432/todo?sslmode=verify-full`)
    expect(resolve(made.database.passwordSecretArn)).toBe(ref(instance, 'master_user_secret[0].secret_arn'))
  })

  it.each([0, 7, 35])('keeps %i days of automated backups when told to', (days) => {
    expect(synthDatabase({ backupRetentionDays: days }).synthesized).toHaveResourceWithProperties(DbInstance, { backup_retention_period: days })
  })

  it('lets in PostgreSQL on 5432 from the clients\' security group alone, and from no address range', () => {
    const { synthesized, made } = synthDatabase()
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { name: 'taskoverflow-database', vpc_id: ref(made.vpc, 'id') })
    const rules = Object.values(resources(synthesized, 'aws_vpc_security_group_ingress_rule'))
    expect(rules).toHaveLength(1)
    expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: ref(made.database.securityGroup, 'id'),
      referenced_security_group_id: ref(made.clients, 'id'),
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
    })
    expect(rules[0]).not.toHaveProperty('cidr_ipv4')
  })

  it('keeps its data in one named snapshot whenever the instance is deleted, and is never replaced for the snapshot it came from', () => {
    const { synthesized: running, made } = synthDatabase()
    expect(running).toHaveResourceWithProperties(DbInstance, {
      identifier: 'taskoverflow-database',
      skip_final_snapshot: false,
      final_snapshot_identifier: 'taskoverflow-database-paused',
      copy_tags_to_snapshot: true,
      lifecycle: { ignore_changes: ['snapshot_identifier'] },
    })
    expect(instanceOf(running)).not.toHaveProperty('snapshot_identifier')
    expect(made.database.snapshotIdentifier).toBe('taskoverflow-database-paused')
  })

  it('records the instance as running', () => {
    const { synthesized, made } = synthDatabase()
    expect(synthesized).toHaveResourceWithProperties(RdsInstanceState, { identifier: ref(made.database.instance!, 'identifier'), state: 'available' })
  })

  it('is created from that snapshot when resuming', () => {
    const instance = instanceOf(synthDatabase({ restoreFromSnapshot: true }).synthesized)
    expect(instance).toMatchObject({ snapshot_identifier: 'taskoverflow-database-paused', final_snapshot_identifier: 'taskoverflow-database-paused', manage_master_user_password: true })
  })

  it('with a generated password, sets it at create from Secrets Manager and keeps it in a secret of its own that the tasks read', () => {
    const { synthesized, made, resolve } = synthDatabase({ passwordMode: 'generated' })
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSecretsmanagerRandomPassword, { password_length: 32, exclude_characters: '/@"\' \\' })
    const [generated] = Object.keys(json(synthesized).data.aws_secretsmanager_random_password)
    const password = `data.aws_secretsmanager_random_password.${generated}.random_password`
    expect(instanceOf(synthesized)).toMatchObject({ password: `\${${password}}`, lifecycle: { ignore_changes: ['snapshot_identifier', 'password'] } })
    expect(instanceOf(synthesized)).not.toHaveProperty('manage_master_user_password')
    expect(synthesized).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'taskoverflow-database-password', recovery_window_in_days: 0 })
    const [secret] = Object.keys(resources(synthesized, 'aws_secretsmanager_secret'))
    expect(synthesized).toHaveResourceWithProperties(SecretsmanagerSecretVersion, {
      secret_id: `\${aws_secretsmanager_secret.${secret}.id}`,
      secret_string: `\${jsonencode({"username" = "taskoverflow", "password" = ${password}})}`,
      lifecycle: { ignore_changes: ['secret_string'] },
    })
    expect(resolve(made.database.passwordSecretArn)).toBe(`\${aws_secretsmanager_secret.${secret}.arn}`)
  })

  it('restored with a generated password, keeps the one its snapshot and its secret share rather than setting a new one', () => {
    const restored = synthDatabase({ passwordMode: 'generated', restoreFromSnapshot: true }).synthesized
    expect(instanceOf(restored)).not.toHaveProperty('password')
    expect(Object.keys(resources(restored, 'aws_secretsmanager_secret'))).toHaveLength(1)
  })

  it('paused, has no instance, and records in Terraform state which snapshot holds the data and how large it can be', () => {
    const paused = synthDatabase({ paused: true, allocatedStorage: 30 }).synthesized
    expect(resources(paused, 'aws_db_instance')).toEqual({})
    expect(resources(paused, 'aws_rds_instance_state')).toEqual({})
    expect(Object.values(resources(paused, 'terraform_data'))).toEqual([
      expect.objectContaining({ input: { db_snapshot_identifier: 'taskoverflow-database-paused', db_instance_identifier: 'taskoverflow-database', allocated_storage: 30 } }),
    ])
    // What stays: who may reach it once it is back.
    expect(Object.keys(resources(paused, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(1)
  })

  it('paused with a generated password, keeps the secret holding the password of the database in the snapshot', () => {
    expect(Object.keys(resources(synthDatabase({ paused: true, passwordMode: 'generated' }).synthesized, 'aws_secretsmanager_secret'))).toHaveLength(1)
  })

  it('refuses to be paused and restored at once, and gives no endpoint while paused', () => {
    expect(() => synthDatabase({ paused: true, restoreFromSnapshot: true })).toThrow('Database taskoverflow: paused and restoreFromSnapshot contradict each other')
    const { database } = synthDatabase({ paused: true }).made
    expect(() => database.connectionUrl).toThrow(/^Database test\/database: paused, it has no endpoint, so nothing that connects to it can be defined$/)
    expect(() => database.passwordSecretArn).toThrow(/^Database test\/database: paused, it has no endpoint/)
  })

  it.each([-1, 36, 1.5])('refuses %p days of backups, which RDS does not offer', (days) => {
    expect(() => synthDatabase({ backupRetentionDays: days })).toThrow('Database taskoverflow: backupRetentionDays must be a whole number from 0 to 35')
  })

  // RDS for PostgreSQL on gp2 takes 20 to 65,536 GiB; the Learner Lab, at most 100.
  it.each([19, 65_537, 20.5])('refuses %p GB of storage, which RDS does not make on gp2', (allocatedStorage) => {
    expect(() => synthDatabase({ allocatedStorage })).toThrow(`Database taskoverflow: allocatedStorage must be a whole number of GB from 20 to 65536 (the Learner Lab allows up to 100), not ${allocatedStorage}`)
  })

  it.each([20, 100, 65_536])('makes %p GB of storage', (allocatedStorage) => {
    expect(() => synthDatabase({ allocatedStorage })).not.toThrow()
  })
})
