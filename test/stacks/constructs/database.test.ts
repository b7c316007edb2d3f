import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js'
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js'
import { RdsInstanceState } from '@cdktf/provider-aws/lib/rds-instance-state/index.js'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
import { describe, expect, it } from '@jest/globals'
import { Testing } from 'cdktf'
import type { Construct } from 'constructs'
import { Database, type DatabaseProps } from '../../../stacks/constructs/database.js'
import { resources } from '../terraform-json.js'

/** The construct alone in a test stack, synthesized; `seen` gets the construct itself. */
function synthDatabase(props: Partial<DatabaseProps> = {}, seen?: (database: Database) => void): string {
  return Testing.synthScope((scope: Construct) => {
    const vpc = new DataAwsVpc(scope, 'vpc', { default: true })
    const tasks = new SecurityGroup(scope, 'tasks', { name: 'tasks', vpcId: vpc.id })
    const database = new Database(scope, 'database', { name: 'taskoverflow', vpc, clientSecurityGroup: tasks, ...props })
    seen?.(database)
  })
}

describe('Database', () => {
  it('keeps its data in one named snapshot whenever the instance is deleted, and is never replaced for the snapshot it came from', () => {
    const running = synthDatabase()
    expect(running).toHaveResourceWithProperties(DbInstance, {
      identifier: 'taskoverflow-database',
      skip_final_snapshot: false,
      final_snapshot_identifier: 'taskoverflow-database-paused',
      copy_tags_to_snapshot: true,
      lifecycle: { ignore_changes: ['snapshot_identifier'] },
    })
    expect(Object.values(resources(running, 'aws_db_instance'))[0]).not.toHaveProperty('snapshot_identifier')
    expect(running).toHaveResourceWithProperties(RdsInstanceState, { state: 'available' })
  })

  it('is created from that snapshot when resuming', () => {
    const [instance] = Object.values(resources(synthDatabase({ restoreFromSnapshot: true }), 'aws_db_instance'))
    expect(instance).toMatchObject({ snapshot_identifier: 'taskoverflow-database-paused', final_snapshot_identifier: 'taskoverflow-database-paused', manage_master_user_password: true })
  })

  it('restored with a generated password, keeps the one its snapshot and its secret share rather than setting a new one', () => {
    const [fresh] = Object.values(resources(synthDatabase({ passwordMode: 'generated' }), 'aws_db_instance'))
    expect(fresh).toMatchObject({ password: expect.stringMatching(/random_password/), lifecycle: { ignore_changes: ['snapshot_identifier', 'password'] } })
    const restored = synthDatabase({ passwordMode: 'generated', restoreFromSnapshot: true })
    expect(Object.values(resources(restored, 'aws_db_instance'))[0]).not.toHaveProperty('password')
    expect(Object.keys(resources(restored, 'aws_secretsmanager_secret'))).toHaveLength(1)
  })

  it('paused, has no instance, and records in Terraform state which snapshot holds the data and how large it can be', () => {
    const paused = synthDatabase({ paused: true })
    expect(resources(paused, 'aws_db_instance')).toEqual({})
    expect(resources(paused, 'aws_rds_instance_state')).toEqual({})
    expect(Object.values(resources(paused, 'terraform_data'))).toEqual([
      expect.objectContaining({ input: { db_snapshot_identifier: 'taskoverflow-database-paused', db_instance_identifier: 'taskoverflow-database', allocated_storage: 20 } }),
    ])
    // What stays: who may reach it once it is back.
    expect(Object.keys(resources(paused, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(1)
  })

  it('paused with a generated password, keeps the secret holding the password of the database in the snapshot', () => {
    expect(Object.keys(resources(synthDatabase({ paused: true, passwordMode: 'generated' }), 'aws_secretsmanager_secret'))).toHaveLength(1)
  })

  it('refuses to be paused and restored at once, and gives no endpoint while paused', () => {
    expect(() => synthDatabase({ paused: true, restoreFromSnapshot: true })).toThrow('Database taskoverflow: paused and restoreFromSnapshot contradict each other')
    expect(() => synthDatabase({ paused: true }, (database) => database.connectionUrl)).toThrow(/paused, it has no endpoint/)
    expect(() => synthDatabase({ paused: true }, (database) => database.passwordSecretArn)).toThrow(/paused, it has no endpoint/)
  })
})
