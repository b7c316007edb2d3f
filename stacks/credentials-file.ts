import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface CredentialsFile {
  readonly path: string
  /** Named by TASKOVERFLOW_CREDENTIALS_FILE, rather than the practical's ./credentials. */
  readonly named: boolean
  readonly exists: boolean
}

/**
 * The one rule every command follows for the practical's credentials file (Learner Lab format):
 * TASKOVERFLOW_CREDENTIALS_FILE when set, else `credentials` in the project folder. Synth, deploy,
 * destroy, `npm start` with real SQS and the queue CLI all ask here.
 */
export function credentialsFile(env: Record<string, string | undefined>, projectRoot: string, practicalFile = join(projectRoot, 'credentials')): CredentialsFile {
  const named = Boolean(env.TASKOVERFLOW_CREDENTIALS_FILE)
  const path = named ? resolve(env.TASKOVERFLOW_CREDENTIALS_FILE!) : practicalFile
  return { path, named, exists: existsSync(path) }
}

/** For the SDK-based commands: point the SDK at the file when it exists, unless the user already chose one. */
export function useCredentialsFile(env: NodeJS.ProcessEnv, projectRoot: string): void {
  const file = credentialsFile(env, projectRoot)
  if (file.exists) env.AWS_SHARED_CREDENTIALS_FILE ??= file.path
}
