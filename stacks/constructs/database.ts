import type { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule'
import { Construct } from 'constructs'

export interface DatabaseProps {
  /** Prefix of resource names. */
  readonly name: string
  readonly vpc: DataAwsVpc
  /** The only security group allowed to connect (the ECS tasks'). */
  readonly clientSecurityGroup: SecurityGroup
  /** @default 'db.t4g.micro' */
  readonly instanceClass?: string
  /** In GB. @default 20 */
  readonly allocatedStorage?: number
  /** @default 'todo' */
  readonly databaseName?: string
  /** @default 'taskoverflow' */
  readonly username?: string
  /** Major version; RDS picks the newest minor and upgrades minors itself. @default '17' */
  readonly engineVersion?: string
}

const PORT = 5432

/**
 * RDS PostgreSQL, encrypted, private to the VPC and reachable on 5432 from the tasks only. Its
 * password is generated and kept by RDS in Secrets Manager (never written in code, in the
 * synthesized JSON or in Terraform state); tasks receive it as an ECS secret.
 */
export class Database extends Construct {
  readonly instance: DbInstance
  readonly securityGroup: SecurityGroup
  /** The connection string without the password, for DATABASE_URL. */
  readonly connectionUrl: string
  /** ARN of the Secrets Manager secret (JSON with `username` and `password`). */
  readonly passwordSecretArn: string

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id)
    const databaseName = props.databaseName ?? 'todo'
    const username = props.username ?? 'taskoverflow'
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-database`,
      description: 'PostgreSQL, reachable from the ECS tasks only',
      vpcId: props.vpc.id,
    })
    new VpcSecurityGroupIngressRule(this, 'from-tasks', {
      securityGroupId: this.securityGroup.id,
      description: 'PostgreSQL from the ECS tasks',
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      referencedSecurityGroupId: props.clientSecurityGroup.id,
    })
    this.instance = new DbInstance(this, 'instance', {
      identifier: `${props.name}-database`,
      engine: 'postgres',
      engineVersion: props.engineVersion ?? '17',
      instanceClass: props.instanceClass ?? 'db.t4g.micro',
      allocatedStorage: props.allocatedStorage ?? 20,
      // The Learner Lab allows General Purpose SSD gp2 only, up to 100 GB.
      storageType: 'gp2',
      storageEncrypted: true,
      dbName: databaseName,
      username,
      manageMasterUserPassword: true,
      port: PORT,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [this.securityGroup.id],
      skipFinalSnapshot: true,
      deletionProtection: false,
      applyImmediately: true,
      autoMinorVersionUpgrade: true,
    })
    // RDS enforces TLS for PostgreSQL 15+; its CA is not in Node's trust store, so the
    // connection is encrypted without verifying the certificate (traffic stays in the VPC).
    this.connectionUrl = `postgresql://${username}@${this.instance.address}:${PORT}/${databaseName}?sslmode=no-verify`
    this.passwordSecretArn = this.instance.masterUserSecret.get(0).secretArn
  }
}
