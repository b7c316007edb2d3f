import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import dockerignore from '@balena/dockerignore'

/**
 * A digest of the files an image is built from, honouring the build context's .dockerignore:
 * the same tree gives the same digest on any machine, and any change to those files gives a
 * new one. Paths are hashed with their contents, so a rename counts as a change.
 */
export function hashBuildInputs(contextDir: string, inputs: readonly string[]): string {
  let ignoreFile = ''
  try {
    ignoreFile = readFileSync(join(contextDir, '.dockerignore'), 'utf8')
  } catch {
    // no .dockerignore: nothing is excluded
  }
  const ignored = dockerignore().add(ignoreFile)
  const hash = createHash('sha256')
  const visit = (path: string) => {
    const rel = relative(contextDir, path).split(sep).join('/')
    if (rel && ignored.ignores(rel)) return
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry))
    } else {
      hash.update(`${rel}\0`).update(readFileSync(path)).update('\0')
    }
  }
  for (const input of [...inputs].sort()) visit(join(contextDir, input))
  return hash.digest('hex')
}
