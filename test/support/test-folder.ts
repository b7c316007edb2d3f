import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { beforeAll } from '@jest/globals'

export interface TestFolder {
  /** The folder; there from the first beforeAll of the describe block (or file) it was made in. */
  readonly path: string
  /** Writes `text` to `relativePath` inside it, making the folders on the way. */
  write(relativePath: string, text: string): void
  /** Removes it; for the file's afterAll, once nothing uses the folder any more. */
  remove(): void
}

/**
 * A temporary folder for a test file, made in a beforeAll rather than on import: with every test
 * filtered out (-t), Jest runs neither hook, and a folder made on import would be left behind.
 * Call it before the beforeAll hooks that use it, as hooks run in the order they are declared.
 */
export function testFolder(prefix: string): TestFolder {
  let path: string | undefined
  beforeAll(() => {
    path = mkdtempSync(join(tmpdir(), prefix))
    // Run as root, PostgreSQL runs as the system user postgres, which must reach a data folder in here.
    chmodSync(path, 0o755)
  })
  const folder = {
    get path() {
      if (path === undefined) throw new Error(`the ${prefix} folder is made in beforeAll; it is not there yet`)
      return path
    },
    write(relativePath: string, text: string) {
      const file = join(folder.path, relativePath)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, text)
    },
    remove() {
      if (path !== undefined) rmSync(path, { recursive: true, force: true })
    },
  }
  return folder
}
