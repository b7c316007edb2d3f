import { z } from 'zod'
import { AWS_REGION, nearestSetting, SETTINGS_PAGE, WHOLE_NUMBER } from '../containers/shared/src/setting-formats'
import { LONG_POLL_SECONDS, STATEMENT_TIMEOUT_SECONDS, workerDrainSeconds, workerStopTimeoutSeconds } from '../containers/shared/src/job-timing'

/** Where the Learner Lab keeps task and execution permissions, and it forbids creating roles. */
export const LEARNER_LAB_ROLE = 'LabRole'

export type IamMode = 'learner-lab' | 'create-roles'

/** The default prefix of resource names. */
export const DEFAULT_NAME = 'taskoverflow'

/** The RDS instance's identifier: the stacks name it so, and pause and resume find it by it. */
export const databaseIdentifier = (name: string) => `${name}-database`

/**
 * The manual snapshot that holds the database while it is paused: RDS takes it as it deletes the
 * instance, and resume creates the instance from it. A snapshot never starts by itself, as a
 * stopped instance does after 7 days.
 */
export const pausedSnapshotIdentifier = (name: string) => `${databaseIdentifier(name)}-paused`

/** `managed`: RDS keeps the password in Secrets Manager and rotates it; `generated`: made once at deploy, kept in Secrets Manager, never rotated. */
export type DbPasswordMode = 'managed' | 'generated'

/** The only regions the AWS Academy Learner Lab offers. */
const LEARNER_LAB_REGIONS = ['us-east-1', 'us-west-2']

/** Fargate sends SIGKILL at most this long after SIGTERM. */
const FARGATE_MAX_STOP_SECONDS = 120
/** The longest artificial delay whose worker still stops cleanly within Fargate's limit. */
const MAX_WORKER_DELAY_SECONDS = FARGATE_MAX_STOP_SECONDS - workerStopTimeoutSeconds(0)
/** Connections db.t4g.micro takes (about 80 to 110 by RDS's formula), less a few for RDS and an admin. */
const DATABASE_CONNECTION_BUDGET = 75
/** Connections one task's pool needs at the least, and takes at most. */
const POOL_MIN = 2
const POOL_MAX = 10

/** Each task's share of the database's connections when every task runs. */
const connectionsPerTask = (tasks: number) => Math.floor(DATABASE_CONNECTION_BUDGET / tasks)

/** The CPU architecture the images are built for and Fargate runs them on. */
export type Arch = 'arm64' | 'amd64'

/** Availability Zones the load balancer and the tasks use by default: the fewest an ALB accepts. */
const DEFAULT_AVAILABILITY_ZONES = 2
/** The most a default VPC has, one default subnet each (us-east-1 has six). */
const MAX_AVAILABILITY_ZONES = 6

/** Where every stack keeps its Terraform state when a team shares one deployment. */
export interface StateBucket {
  readonly bucket: string
  /** Each stack's state is KEY_PREFIX/STACK.tfstate. */
  readonly keyPrefix: string
}

/** The architecture of the machine that builds: Apple Silicon builds natively, without emulation. */
function hostArch(nodeArch: string = process.arch): Arch {
  return nodeArch === 'arm64' ? 'arm64' : 'amd64'
}

/** One setting, two spellings: the image platform and the task definition's cpu_architecture. */
export const PLATFORMS: Record<Arch, { readonly image: string; readonly fargate: 'ARM64' | 'X86_64' }> = {
  arm64: { image: 'linux/arm64', fargate: 'ARM64' },
  amd64: { image: 'linux/amd64', fargate: 'X86_64' },
}

/** Everything the stacks can be told, read once by the entry file from the environment. */
export interface DeployConfig {
  readonly region: string
  /** `learner-lab` uses the existing LabRole; `create-roles` makes least-privilege roles. */
  readonly iamMode: IamMode
  /** Built for, and run on, this architecture. */
  readonly arch: Arch
  /** Nothing that bills by the hour: no load balancer, no task, no alarm, the database kept as a snapshot. */
  readonly paused: boolean
  /** Create the database from its pause snapshot (resuming); an instance that exists is left as it is. */
  readonly restoreFromSnapshot: boolean
  /** How many Availability Zones (one default subnet each) the load balancer and the tasks use. */
  readonly availabilityZones: number
  /** Days of automated RDS backups; 0 in the Learner Lab, where nothing outlives the course. */
  readonly backupRetentionDays?: number
  /** Unset: state in .terraform-state/ on this machine. */
  readonly stateBucket?: StateBucket
  /** Prefix of every resource name, so two copies can share an account. */
  readonly name: string
  readonly workerDelaySeconds: number
  /** Each task's database pool, so every task at full scale fits the instance's connections. */
  readonly databasePoolSize: number
  readonly dbPasswordMode: DbPasswordMode
  readonly workerMinTasks: number
  readonly workerMaxTasks: number
  readonly apiTasks: number
  readonly logRetentionDays: number
  /**
   * An SQS emulator's URL, which the tests set in code to apply the queue playground stack to it:
   * it points the AWS provider there with dummy credentials and every AWS check switched off. No
   * environment variable sets it, so no deploy can be pointed there by mistake.
   */
  readonly localSqsEndpoint?: string
  /** A credentials file other than ./credentials (Learner Lab format). */
  readonly credentialsFile?: string
}

/** The retention periods CloudWatch Logs accepts. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

function count(what: string, min: number, max: number) {
  return z
    .string()
    .regex(WHOLE_NUMBER, `${what} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${what} must be from ${min} to ${max}`)
}

/** For a check across fields: run it even when a field failed, which zod would otherwise skip it for. */
const always = { when: () => true }

const numbers = (...values: unknown[]) => values.every((value) => typeof value === 'number')

const schema = z
  .object({
    AWS_REGION: z.string().regex(AWS_REGION, 'AWS_REGION must be a region such as us-east-1').default('us-east-1'),
    TASKOVERFLOW_IAM_MODE: z.enum(['learner-lab', 'create-roles'], { error: 'TASKOVERFLOW_IAM_MODE must be learner-lab or create-roles' }).default('learner-lab'),
    TASKOVERFLOW_ARCH: z.enum(['arm64', 'amd64'], { error: 'TASKOVERFLOW_ARCH must be arm64 or amd64' }).optional(),
    TASKOVERFLOW_PAUSED: z.enum(['true', 'false'], { error: 'TASKOVERFLOW_PAUSED must be true or false' }).default('false'),
    TASKOVERFLOW_RESTORE_FROM_SNAPSHOT: z.enum(['true', 'false'], { error: 'TASKOVERFLOW_RESTORE_FROM_SNAPSHOT must be true or false' }).default('false'),
    TASKOVERFLOW_AVAILABILITY_ZONES: count('TASKOVERFLOW_AVAILABILITY_ZONES', DEFAULT_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES).default(DEFAULT_AVAILABILITY_ZONES),
    // S3's rules for bucket names (general purpose buckets): 3 to 63 lower-case letters, digits, dots and dashes.
    TASKOVERFLOW_STATE_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'TASKOVERFLOW_STATE_BUCKET must be an S3 bucket name: 3 to 63 lower-case letters, digits, dots or dashes')
      .optional(),
    TASKOVERFLOW_STATE_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, 'TASKOVERFLOW_STATE_KEY_PREFIX must be a path such as team-7/taskoverflow, without a leading or trailing slash')
      .optional(),
    TASKOVERFLOW_DB_PASSWORD_MODE: z.enum(['managed', 'generated'], { error: 'TASKOVERFLOW_DB_PASSWORD_MODE must be managed or generated' }).default('managed'),
    TASKOVERFLOW_NAME: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,19}$/, 'TASKOVERFLOW_NAME must be 2 to 20 lower-case letters, digits or dashes, starting with a letter')
      .default(DEFAULT_NAME),
    TASKOVERFLOW_WORKER_DELAY_SECONDS: count('TASKOVERFLOW_WORKER_DELAY_SECONDS', 0, 600).default(0),
    TASKOVERFLOW_WORKER_MIN_TASKS: count('TASKOVERFLOW_WORKER_MIN_TASKS', 0, 20).default(1),
    TASKOVERFLOW_WORKER_MAX_TASKS: count('TASKOVERFLOW_WORKER_MAX_TASKS', 1, 20).default(4),
    TASKOVERFLOW_API_TASKS: count('TASKOVERFLOW_API_TASKS', 1, 20).default(1),
    TASKOVERFLOW_LOG_RETENTION_DAYS: count('TASKOVERFLOW_LOG_RETENTION_DAYS', 1, 3653)
      .refine((n) => RETENTION_DAYS.includes(n), `TASKOVERFLOW_LOG_RETENTION_DAYS must be one of ${RETENTION_DAYS.join(', ')}`)
      .default(7),
    TASKOVERFLOW_CREDENTIALS_FILE: z.string().optional(),
  })
  // Each of these runs even when a field above was refused (`always`), so every problem shows at
  // once; a refused number is still text, so each checks only numbers.
  .refine((e) => !numbers(e.TASKOVERFLOW_WORKER_MIN_TASKS, e.TASKOVERFLOW_WORKER_MAX_TASKS) || e.TASKOVERFLOW_WORKER_MIN_TASKS <= e.TASKOVERFLOW_WORKER_MAX_TASKS, {
    ...always,
    message: 'TASKOVERFLOW_WORKER_MIN_TASKS must not exceed TASKOVERFLOW_WORKER_MAX_TASKS',
  })
  .refine((e) => e.TASKOVERFLOW_IAM_MODE !== 'learner-lab' || LEARNER_LAB_REGIONS.includes(e.AWS_REGION), {
    ...always,
    message: `The Learner Lab has only the regions ${LEARNER_LAB_REGIONS.join(' and ')}: set AWS_REGION to one of them (or TASKOVERFLOW_IAM_MODE=create-roles outside the Lab)`,
  })
  .refine((e) => !(e.TASKOVERFLOW_PAUSED === 'true' && e.TASKOVERFLOW_RESTORE_FROM_SNAPSHOT === 'true'), {
    ...always,
    message: 'TASKOVERFLOW_RESTORE_FROM_SNAPSHOT brings a paused database back, so it cannot go with TASKOVERFLOW_PAUSED=true',
  })
  .refine((e) => e.TASKOVERFLOW_STATE_KEY_PREFIX === undefined || e.TASKOVERFLOW_STATE_BUCKET !== undefined, {
    ...always,
    message: 'TASKOVERFLOW_STATE_KEY_PREFIX needs TASKOVERFLOW_STATE_BUCKET: the prefix is a folder inside that bucket',
  })
  .refine((e) => !numbers(e.TASKOVERFLOW_WORKER_DELAY_SECONDS) || e.TASKOVERFLOW_WORKER_DELAY_SECONDS <= MAX_WORKER_DELAY_SECONDS, {
    ...always,
    message: `TASKOVERFLOW_WORKER_DELAY_SECONDS must be at most ${MAX_WORKER_DELAY_SECONDS}: a stopping worker may need its delay and ${workerStopTimeoutSeconds(0)} s more (a ${LONG_POLL_SECONDS} s long poll, ${STATEMENT_TIMEOUT_SECONDS} s to store its batch, ${workerStopTimeoutSeconds(0) - workerDrainSeconds(0)} s to exit), and Fargate allows ${FARGATE_MAX_STOP_SECONDS} s between SIGTERM and SIGKILL`,
  })
  .refine((e) => !numbers(e.TASKOVERFLOW_API_TASKS, e.TASKOVERFLOW_WORKER_MAX_TASKS) || connectionsPerTask(e.TASKOVERFLOW_API_TASKS + e.TASKOVERFLOW_WORKER_MAX_TASKS) >= POOL_MIN, {
    ...always,
    message: `TASKOVERFLOW_API_TASKS + TASKOVERFLOW_WORKER_MAX_TASKS tasks with at least ${POOL_MIN} database connections each exceed the ${DATABASE_CONNECTION_BUDGET} db.t4g.micro leaves them: at most ${Math.floor(DATABASE_CONNECTION_BUDGET / POOL_MIN)} tasks in all`,
  })

export class DeployConfigError extends Error {}

/** The settings above, as docs/configuration.md lists them. */
export const DEPLOYMENT_SETTINGS: readonly string[] = Object.keys(schema.shape)
/** Every TASKOVERFLOW_ variable the stacks read. */
const KNOWN_SETTINGS = Object.keys(schema.shape).filter((name) => name.startsWith('TASKOVERFLOW_'))

/** A TASKOVERFLOW_ variable that is no setting is a slip that would otherwise be ignored without a word. */
function unknownSettings(env: Record<string, unknown>): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('TASKOVERFLOW_') && !KNOWN_SETTINGS.includes(name))
    .map((name) => {
      const { setting, edits } = nearestSetting(name, KNOWN_SETTINGS)
      return `${name} is not a setting${edits <= 3 ? `; did you mean ${setting}?` : ''} (the settings are in ${SETTINGS_PAGE})`
    })
}

/** The settings from the environment; `nodeArch` is the building machine's (process.arch). */
export function readDeployConfig(env: Record<string, string | undefined>, nodeArch: string = process.arch): DeployConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(present)
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => i.message)), ...unknownSettings(present)]
  if (!parsed.success || problems.length > 0) {
    throw new DeployConfigError(`Invalid deployment settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
  }
  const e = parsed.data
  const learnerLab = e.TASKOVERFLOW_IAM_MODE === 'learner-lab'
  return {
    region: e.AWS_REGION,
    iamMode: e.TASKOVERFLOW_IAM_MODE,
    // The course's own images ran on amd64 in the Lab; Fargate ARM64 is untried there.
    arch: e.TASKOVERFLOW_ARCH ?? (learnerLab ? 'amd64' : hostArch(nodeArch)),
    paused: e.TASKOVERFLOW_PAUSED === 'true',
    restoreFromSnapshot: e.TASKOVERFLOW_RESTORE_FROM_SNAPSHOT === 'true',
    availabilityZones: e.TASKOVERFLOW_AVAILABILITY_ZONES,
    // No backup storage to bill, and the instance is created minutes sooner.
    backupRetentionDays: learnerLab ? 0 : undefined,
    stateBucket: e.TASKOVERFLOW_STATE_BUCKET ? { bucket: e.TASKOVERFLOW_STATE_BUCKET, keyPrefix: e.TASKOVERFLOW_STATE_KEY_PREFIX ?? e.TASKOVERFLOW_NAME } : undefined,
    name: e.TASKOVERFLOW_NAME,
    workerDelaySeconds: e.TASKOVERFLOW_WORKER_DELAY_SECONDS,
    databasePoolSize: Math.min(POOL_MAX, connectionsPerTask(e.TASKOVERFLOW_API_TASKS + e.TASKOVERFLOW_WORKER_MAX_TASKS)),
    dbPasswordMode: e.TASKOVERFLOW_DB_PASSWORD_MODE,
    workerMinTasks: e.TASKOVERFLOW_WORKER_MIN_TASKS,
    workerMaxTasks: e.TASKOVERFLOW_WORKER_MAX_TASKS,
    apiTasks: e.TASKOVERFLOW_API_TASKS,
    logRetentionDays: e.TASKOVERFLOW_LOG_RETENTION_DAYS,
    credentialsFile: e.TASKOVERFLOW_CREDENTIALS_FILE,
  }
}
