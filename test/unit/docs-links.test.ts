/**
 * The README and the pages under docs/ link to each other and into the code: every relative link
 * names a file that is there, and every #anchor a heading of that page (as GitHub makes anchors);
 * a path written as code (`test/stacks/constructs/`) is there too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))]

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1]!)))
}

function brokenLinks(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '')
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((link) => !/^[a-z]+:/.test(link))
    .filter((link) => {
      const [path, hash] = link.split('#') as [string, string | undefined]
      const target = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), path))
      if (!existsSync(join(ROOT, target))) return true
      return hash !== undefined && target.endsWith('.md') && !anchorsOf(target).has(hash)
    })
    .map((link) => `${page}: ${link}`)
}

/** The project's folders a path written as code starts with. */
const FOLDERS = ['containers', 'scripts', 'stacks', 'test', 'bench', 'docs', 'compose']

/** Folders git ignores (`bench/out/`): what commands write there is not in a clone. */
const IGNORED = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').filter((line) => line.endsWith('/') && !line.startsWith('#'))

/**
 * Paths into the project written as code (`scripts/aws/poll.ts`) that are not there; patterns
 * (`*`, `{a,b}`) and what commands write into ignored folders are left alone.
 */
function missingPaths(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8')
  return [...text.matchAll(/`([^`\s]+)`/g)]
    .map((match) => match[1]!.replace(/[.,:;]$/, ''))
    .filter((path) => FOLDERS.some((folder) => path.startsWith(`${folder}/`)) && !/[*{}]/.test(path) && !IGNORED.some((folder) => path.startsWith(folder)))
    .filter((path) => !existsSync(join(ROOT, path)))
    .map((path) => `${page}: ${path}`)
}

describe('the README and docs/', () => {
  it('link only to files and headings that are there', () => {
    expect(pages.flatMap(brokenLinks)).toEqual([])
  })

  it('name as code only paths that are there', () => {
    expect(pages.flatMap(missingPaths)).toEqual([])
  })

  it('keep the README a first page: at most 250 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250)
  })
})
