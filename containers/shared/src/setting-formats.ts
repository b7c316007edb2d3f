/**
 * The formats of the settings every entry point reads: the services' environment (service-env.ts),
 * the stacks' (stacks/config.ts) and the scripts' flags. Each reader words its own message for
 * its own audience; what a valid value looks like is decided here once. It imports nothing, so
 * the CommonJS stacks load it as they are (tsconfig.json tells ts-node to load it as CommonJS).
 * The queue CLI, a package of its own with no dependency on this one, keeps a copy that a unit
 * test holds to these (test/unit/queue-cli-settings.test.ts).
 */

/** Where every setting is listed, for messages that name one. */
export const SETTINGS_PAGE = 'docs/configuration.md'

/** An AWS region's name, such as us-east-1 or ap-southeast-2. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/

/** A whole number as a setting is written: digits only, no sign, point or exponent. */
export const WHOLE_NUMBER = /^\d+$/

/** An http:// or https:// URL with something after the scheme. */
export const isHttpUrl = (value: string): boolean => /^https?:\/\/./.test(value) && URL.canParse(value)

/** Edits (insert, delete, replace) between two names: how far a typing slip is from a setting. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]!
}

/** The setting nearest to a name, and how many edits away it is. */
export function nearestSetting(name: string, settings: readonly string[]): { readonly setting: string; readonly edits: number } {
  return settings.map((setting) => ({ setting, edits: distance(name, setting) })).reduce((best, next) => (next.edits < best.edits ? next : best))
}
