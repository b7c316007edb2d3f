/**
 * docs/configuration.md's table of the services' settings is the declaration both services read
 * (containers/shared/src/service-env.ts), rendered: adding a variable there and nowhere else fails
 * here, with the table to paste.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { SERVICE_ENV } from '@taskoverflow/shared'
import { ROOT } from '../../scripts/lib/paths.js'
import { DEPLOYMENT_SETTINGS } from '../../stacks/config.js'

const BEGIN = '<!-- the services\' settings, as containers/shared/src/service-env.ts declares them -->'
const END = '<!-- end of the services\' settings -->'

function defaultOf(schema: unknown): string {
  const def = (schema as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def
  if (def.type === 'default') return `\`${String(def.defaultValue)}\``
  return def.type === 'optional' ? '' : 'required'
}

function renderTable(): string {
  const rows = Object.entries(SERVICE_ENV).map(([name, variable]) => {
    const readers = variable.readers.length === 2 ? 'both' : variable.readers[0]
    return `| \`${name}\` | ${readers} | ${defaultOf(variable.schema)} | ${variable.about} |`
  })
  return ['| variable | read by | default | what it is |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

describe("docs/configuration.md's table of the services' settings", () => {
  it('is the declaration the services read, rendered', () => {
    const page = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')
    const table = page.slice(page.indexOf(BEGIN) + BEGIN.length, page.indexOf(END)).trim()
    expect(page).toContain(BEGIN)
    // On a mismatch, the table to write between the two markers.
    expect(table).toBe(renderTable())
  })
})

describe("docs/configuration.md's Deployment section", () => {
  it('lists every setting the stacks read, as `npm run deploy -- --help` names them', () => {
    const page = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')
    const section = page.slice(page.indexOf('\n## Deployment'))
    const listed = [...section.matchAll(/^\| `([A-Z_]+)`(?: \/ `([A-Z_]+)`)? \|/gm)].flatMap((row) => row.slice(1).filter(Boolean))
    expect(DEPLOYMENT_SETTINGS.filter((name) => !listed.includes(name))).toEqual([])
  })
})
