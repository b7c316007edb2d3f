/**
 * The folders say who a file serves (docs/layout.md), and the imports keep to it: what ships or
 * synthesizes never reaches up into what runs it, and nothing a user runs reaches into the tests
 * or the benchmarks.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'

/** Every TypeScript and JavaScript source under `folder`, without what is built or installed. */
function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js|mjs)$/.test(path) && !/(^|\/)(node_modules|dist|public)\//.test(path))
    .map((path) => join(folder, path))
}

/** Each relative import of a file, as a path from the project's root. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => relative(ROOT, resolve(dirname(join(ROOT, file)), match[1]!)))
}

/** Imports from files under `from` into any of `into`. */
const reaching = (from: string, into: readonly string[]) =>
  sources(from).flatMap((file) => imports(file).filter((target) => into.some((folder) => target.startsWith(`${folder}/`))).map((target) => `${file} -> ${target}`))

describe('the folders and the imports between them', () => {
  it.each([
    ['containers', ['scripts', 'stacks', 'test', 'bench']],
    ['stacks', ['scripts', 'test', 'bench']],
    ['scripts', ['test', 'bench']],
  ])('nothing in %s/ imports from %j', (from, into) => {
    expect(reaching(from, into as string[])).toEqual([])
  })

  it('keeps what deploys and what runs on this machine apart: neither imports the other', () => {
    expect([...reaching('scripts/aws', ['scripts/local']), ...reaching('scripts/local', ['scripts/aws'])]).toEqual([])
  })

  it('sees the imports it checks: a test file reaching into scripts/ is found', () => {
    expect(reaching('test/unit', ['scripts']).some((line) => line.startsWith('test/unit/layout.test.ts -> scripts/lib/paths'))).toBe(true)
  })
})
