import { readFile } from 'node:fs/promises'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'

/**
 * Where the database password comes from, asked once per new connection. A password that can
 * change (Secrets Manager rotates RDS's every 7 days) is read again after the server refuses it,
 * so a running service follows a rotation without a restart.
 */
export interface PasswordSource {
  /** The password to open the next connection with. */
  get(): Promise<string>
  /** Forgets what was read, after the server refused it. False when reading again cannot help. */
  refresh(): boolean
}

/** A password given once (DATABASE_PASSWORD): nothing to read again. */
export function fixedPassword(password: string): PasswordSource {
  return { get: async () => password, refresh: () => false }
}

/** Reads with `read` once, then again only after `refresh()`; concurrent connections share one read. */
export function cachedPassword(read: () => Promise<string>): PasswordSource {
  let current: Promise<string> | undefined
  return {
    get() {
      current ??= read().catch((err: unknown) => {
        current = undefined
        throw err
      })
      return current
    },
    refresh() {
      current = undefined
      return true
    },
  }
}

/** A file holding the password (DATABASE_PASSWORD_FILE, as Docker and Kubernetes mount secrets); a trailing newline is not part of it. */
export function filePassword(path: string): PasswordSource {
  return cachedPassword(async () => (await readFile(path, 'utf8')).replace(/\r?\n$/, ''))
}

/** The subset of the Secrets Manager client used, so tests can answer for it. */
export type SecretsReader = Pick<SecretsManagerClient, 'send'>

/**
 * A Secrets Manager secret (DATABASE_PASSWORD_SECRET_ARN): RDS's managed secret and the generated
 * one are both JSON with a `password` key; a plain-text secret is the password itself.
 */
export function secretsManagerPassword(secretArn: string, client: SecretsReader): PasswordSource {
  return cachedPassword(async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }))
    if (SecretString === undefined) throw new Error(`the secret ${secretArn} has no text value`)
    if (!SecretString.trimStart().startsWith('{')) return SecretString
    const password = (JSON.parse(SecretString) as { password?: unknown }).password
    if (typeof password !== 'string') throw new Error(`the secret ${secretArn} is JSON without a "password" string`)
    return password
  })
}

/** The source the settings name: at most one of the three. `appId` names the service to Secrets Manager (AWS_APP_ID). */
export function passwordSourceFrom(settings: { password?: string; passwordFile?: string; passwordSecretArn?: string; region: string; appId?: string }): PasswordSource | undefined {
  if (settings.passwordSecretArn) {
    return secretsManagerPassword(settings.passwordSecretArn, new SecretsManagerClient({ region: settings.region, userAgentAppId: settings.appId }))
  }
  if (settings.passwordFile) return filePassword(settings.passwordFile)
  if (settings.password !== undefined) return fixedPassword(settings.password)
  return undefined
}
