import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'

const major = (version: string) => Number(/(\d+)/.exec(version)?.[1])
const imageMajor = (service: string) => {
  const dockerfile = readFileSync(join(ROOT, 'containers', service, 'Dockerfile'), 'utf8')
  const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1]
  if (!image) throw new Error(`containers/${service}/Dockerfile has no ARG NODE_IMAGE=node:N-...`)
  return Number(image)
}

describe('the runtime the tests run on', () => {
  it('is the Node major the images ship, which npm ci installs into node_modules', () => {
    const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.node as string
    for (const service of ['api', 'worker', 'queue-cli']) expect(imageMajor(service)).toBe(major(pinned))
    // Run through npm (npm test, npm run jest), node_modules/.bin/node comes first on the PATH.
    expect(`Node ${major(process.version)}`).toBe(`Node ${major(pinned)}`)
  })
})
