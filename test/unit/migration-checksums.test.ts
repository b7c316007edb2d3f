import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { MIGRATIONS } from '../../containers/shared/src/migrations.js'

/**
 * The SHA-256 of each released migration's SQL. A database runs a migration once, so an edit to
 * one that has shipped never reaches the databases that ran it (migration 4 was edited so, and
 * migration 5 repairs what that left). A new migration gets its line here when it is added.
 */
const RELEASED: Readonly<Record<number, string>> = {
  1: '8f90cf3ad26c1c3b3c028988cd3aea6593e50cd6bd3a9c96873981ecee2c72e6',
  2: 'd113360d7546562555a72199aee916aab8f3d3a19fb0c912b0f27fb987644e18',
  3: '0846f0d0e00ac9b436eb92ed959b688b0c8ac34016d5827179067fd18c783bed',
  4: '76b8ce7d60bf922df52d9d8682695e756a7181e265f373fd46a79792c737e375',
  5: '9fe22851a568cd840e38023076ac0e97d15d37c59729673e992b01e3679b2d1b',
  6: 'e0f39e8c74674ad8a1a73924e12f99beced8bace38d1f81b34c292e203414c93',
  7: 'bb4b72377ab89b59c71d8781f29392ff32a4b07ec0b2aa2c0c69ed7af64e9996',
  8: 'b7c341979132aac58cf815a859d8ce6482b498c994893309c1ef88d0a8587879',
  9: '0e37d866733165677dd6d2e50210805ca0bc451f6151b55cf23d1704d5407541',
  10: 'bc712481bb40eb1035c1d2279a5f59efd2c46de82aa955a1be1debee7c2d2726',
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** What is wrong with `migrations` against the pinned checksums, one sentence each. */
function checksumProblems(migrations: readonly { version: number; name: string; sql: string }[], released = RELEASED): string[] {
  const problems: string[] = []
  for (const migration of migrations) {
    const pinned = released[migration.version]
    const actual = sha256(migration.sql)
    if (pinned === undefined) {
      problems.push(`migration ${migration.version} (${migration.name}) is new: pin it in test/unit/migration-checksums.test.ts as ${migration.version}: '${actual}'`)
    } else if (pinned !== actual) {
      problems.push(
        `migration ${migration.version} (${migration.name}) has changed since it was released: databases that ran it will never run the new text. ` +
          'Restore its SQL and add a new migration that makes the change instead',
      )
    }
  }
  for (const version of Object.keys(released).map(Number)) {
    if (!migrations.some((m) => m.version === version)) problems.push(`released migration ${version} is gone: a released migration is never removed`)
  }
  return problems
}

describe('released migrations', () => {
  it('are numbered 1, 2, 3, ... in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('keep the SQL they were released with', () => {
    expect(checksumProblems(MIGRATIONS)).toEqual([])
  })

  it('name the fix when one is edited, added unpinned or removed', () => {
    const edited = MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: `${m.sql} ` } : m))
    expect(checksumProblems(edited)).toEqual([expect.stringMatching(/^migration 2 .* has changed since it was released: .* add a new migration that makes the change instead$/)])
    const added = [...MIGRATIONS, { version: 99, name: 'next', sql: 'SELECT 1' }]
    expect(checksumProblems(added)).toEqual([`migration 99 (next) is new: pin it in test/unit/migration-checksums.test.ts as 99: '${sha256('SELECT 1')}'`])
    expect(checksumProblems(MIGRATIONS.slice(1))).toEqual(['released migration 1 is gone: a released migration is never removed'])
  })
})
