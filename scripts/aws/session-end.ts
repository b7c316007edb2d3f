import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { ENDED_CREDENTIALS } from '../lib/aws-credentials.js'

/**
 * What a failed cdktf or Terraform run says about a Learner Lab session that ended under it. Lab
 * credentials last one session; when it ends mid-deploy, the AWS provider's calls fail with the
 * texts below, an S3 backend cannot save the state it holds or release its lock, and the student
 * needs one message saying what to do, not a screen of provider errors.
 */
export interface RunReading {
  /** AWS refused the credentials as expired or no longer valid. */
  readonly credentialsEnded: boolean
  /** Terraform could not write its state after changing things (it keeps a copy: errored.tfstate). */
  readonly stateNotSaved: boolean
  /** Locks a run left or found on a stack's state in S3. */
  readonly locks: readonly StateLock[]
  /** The state's location changed since this folder was initialized (TASKOVERFLOW_STATE_BUCKET set or unset). */
  readonly backendChanged: boolean
}

export interface StateLock {
  readonly id: string
  /** The stack whose state it locks, from the lock's path (`bucket/prefix/STACK.tfstate`). */
  readonly stack?: string
  readonly who?: string
  readonly created?: string
}

/**
 * Terraform tells how a run failed only in text printed for a person: its diagnostics carry no
 * code, so what follows is read from that text. Credentials that ended with the session are known
 * by AWS's error codes, which the AWS provider and the S3 backend print in it ("api error
 * ExpiredToken: ..."), never by the sentences around them, which change between versions.
 */
const CREDENTIALS_ENDED = new RegExp(`\\b(${ENDED_CREDENTIALS.join('|')})\\b`)
/** Terraform's own words: it has no code for these. */
const STATE_NOT_SAVED = /Failed to save state|failed to upload state|Failed to persist state to backend/
const BACKEND_CHANGED = /Backend configuration changed|Backend initialization required/
const LOCK_INFO = /Lock Info:[\s│]*ID:\s+([0-9a-f-]{36})[\s│]*Path:\s+(\S+)[\s│]*Operation:\s+\S+[\s│]*Who:\s+(\S+)(?:[\s│]*Version:\s+\S+)?(?:[\s│]*Created:\s+([^\n│]+))?/g

/** Colours and cursor moves: cdktf keeps Terraform's, and they split the texts above. */
const TERMINAL_CODES = /\x1b\[[0-9;?]*[A-Za-z]/g

export function readRunOutput(raw: string): RunReading {
  const output = raw.replace(TERMINAL_CODES, '')
  const locks = new Map<string, StateLock>()
  for (const match of output.matchAll(LOCK_INFO)) {
    const [, id, path, who, created] = match
    locks.set(id!, { id: id!, stack: path!.endsWith('.tfstate') ? basename(path!, '.tfstate') : undefined, who, created: created?.trim() })
  }
  return {
    credentialsEnded: CREDENTIALS_ENDED.test(output),
    stateNotSaved: STATE_NOT_SAVED.test(output),
    locks: [...locks.values()],
    backendChanged: BACKEND_CHANGED.test(output),
  }
}

/** A state Terraform could not save, moved where the next synth cannot delete it. */
export interface KeptState {
  readonly stack: string
  /** Relative to the project root. */
  readonly path: string
}

/**
 * Terraform writes the state it could not save to errored.tfstate in the stack's folder, which
 * the next synth may replace: each is moved to .terraform-state/errored/ in `root` at once.
 */
export function keepErroredStates(root: string, outdir = join(root, 'cdktf.out'), now = new Date()): KeptState[] {
  const stacks = join(outdir, 'stacks')
  if (!existsSync(stacks)) return []
  const kept: KeptState[] = []
  for (const stack of readdirSync(stacks)) {
    const errored = join(stacks, stack, 'errored.tfstate')
    if (!existsSync(errored)) continue
    const dir = join(root, '.terraform-state', 'errored')
    mkdirSync(dir, { recursive: true })
    const target = join(dir, `${stack}-${now.toISOString().replace(/[:.]/g, '-')}.tfstate`)
    renameSync(errored, target)
    kept.push({ stack, path: relative(root, target) })
  }
  return kept
}


/**
 * The same message for an AWS call of the scripts' own (RDS, ECS, SQS, S3 between Terraform's
 * runs) that the ended session refused, by the SDK's error name; undefined for any other error.
 */
export function explainAwsCall(err: unknown, command: string): string | undefined {
  if (!(err instanceof Error) || !(ENDED_CREDENTIALS as readonly string[]).includes(err.name)) return undefined
  return explainRun({ credentialsEnded: true, stateNotSaved: false, locks: [], backendChanged: false }, [], command)
}

/**
 * One message for the end of a failed run: what happened, and each step back, with the exact
 * commands, run from the project's folder: `stacksDir` is where the stacks were synthesized, from
 * there (cdktf.out/stacks unless CDKTF_OUTDIR says otherwise). Undefined when the output shows
 * nothing this knows how to explain.
 */
export function explainRun(reading: RunReading, kept: readonly KeptState[], command: string, stacksDir = 'cdktf.out/stacks'): string | undefined {
  const inStack = (stack: string) => `terraform -chdir=${stacksDir}/${stack}`
  if (reading.backendChanged) {
    return `Where the stacks keep their state changed since they were last deployed from here (TASKOVERFLOW_STATE_BUCKET).
  To move this machine's state into the team's bucket: npm run state-bucket
  To use the state already in the bucket and leave this machine's: ${inStack('STACK')} init -reconfigure, for each stack; then \`${command}\` again.`
  }
  if (!reading.credentialsEnded && !reading.stateNotSaved && kept.length === 0 && reading.locks.length === 0) return undefined
  const steps: string[] = []
  if (reading.credentialsEnded) {
    steps.push('Start the lab again, open "AWS Details", press "Show" next to "AWS CLI", and paste the lines under [default] over those in ./credentials (or refresh your own credentials).')
  }
  for (const state of kept) {
    steps.push(
      `Terraform changed ${state.stack} but could not save its state, so it kept a copy in ${state.path}. Put it back before anything else, or the next run loses track of what it made:\n       ${inStack(state.stack)} state push ../../../${state.path}`,
    )
  }
  if (reading.stateNotSaved && kept.length === 0) {
    steps.push(`Terraform changed a stack but could not save its state. Find errored.tfstate in its folder under ${stacksDir}/ and put it back before anything else:\n       ${inStack('STACK')} state push errored.tfstate`)
  }
  for (const lock of reading.locks) {
    const stack = lock.stack ?? 'STACK'
    const holder = lock.who ? ` (taken by ${lock.who}${lock.created ? ` at ${lock.created}` : ''})` : ''
    steps.push(`The state of ${stack} is still locked${holder}. If nobody else is deploying, the run that ended left it; remove it:\n       ${inStack(stack)} force-unlock -force ${lock.id}`)
  }
  steps.push(`Run \`${command}\` again: Terraform continues from its state.`)
  const headline = reading.credentialsEnded
    ? `The Learner Lab session ended during \`${command}\`: AWS no longer accepts its credentials.`
    : `\`${command}\` stopped part-way.`
  return [headline, ...steps.map((step, i) => `  ${i + 1}. ${step}`)].join('\n')
}
