import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DockerProvider } from '@cdktf/provider-docker/lib/provider/index.js'
import { Image } from '@cdktf/provider-docker/lib/image/index.js'
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image/index.js'
import { afterAll, describe, expect, it } from '@jest/globals'
import { hashBuildInputs } from '../../stacks/content-hash.js'
import { imageInputs } from '../../stacks/taskoverflow-images-stack.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { resources, synthAll } from './synth.js'

const { 'taskoverflow-images': images } = synthAll()

describe('taskoverflow-images', () => {
  it('authenticates Docker to ECR with a token from aws_ecr_authorization_token', () => {
    expect(images).toHaveProviderWithProperties(DockerProvider, {
      registry_auth: [
        {
          address: expect.stringMatching(/^\$\{data\.aws_ecr_authorization_token\.[\w-]+\.proxy_endpoint\}$/),
          username: expect.stringMatching(/\.user_name\}$/),
          password: expect.stringMatching(/\.password\}$/),
        },
      ],
    })
  })

  it('builds each image from containers/ for linux/amd64, tagged with the digest of its inputs', () => {
    for (const service of ['api', 'worker']) {
      expect(images).toHaveResourceWithProperties(Image, {
        platform: 'linux/amd64',
        build: expect.objectContaining({ context: '../../../containers', dockerfile: `${service}/Dockerfile`, platform: 'linux/amd64' }),
        name: expect.stringMatching(new RegExp(`repository_url\\}:c-[0-9a-f]{24}$`)),
      })
    }
    const tags = Object.values(resources(images, 'docker_image')).map((image) => image.triggers.contentDigest)
    expect(new Set(tags).size).toBe(2)
  })

  it('keeps pushed images in ECR, so a rollback can still pull the previous one', () => {
    expect(images).toHaveResourceWithProperties(RegistryImage, { keep_remotely: true })
  })

  it('lists every file each Dockerfile copies from the context among the inputs it hashes', () => {
    for (const service of ['api', 'worker']) {
      const dockerfile = readFileSync(join(ROOT, 'containers', service, 'Dockerfile'), 'utf8')
      const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)).map((s) => s.replace(/\/$/, '').split('/')[0]!)
      expect(sources.length).toBeGreaterThan(3)
      for (const source of new Set(sources)) expect({ copied: `${service}/Dockerfile copies ${source}`, inputs: imageInputs(service) }).toEqual({ copied: expect.any(String), inputs: expect.arrayContaining([source]) })
    }
  })
})

describe('the image tag follows the content of the build context', () => {
  const context = mkdtempSync(join(tmpdir(), 'taskoverflow-context-'))
  afterAll(() => rmSync(context, { recursive: true, force: true }))
  cpSync(join(ROOT, 'containers', '.dockerignore'), join(context, '.dockerignore'))
  const write = (path: string, text: string) => {
    mkdirSync(join(context, path, '..'), { recursive: true })
    writeFileSync(join(context, path), text)
  }
  write('package.json', '{}')
  write('shared/src/index.ts', 'export {}')
  write('api/src/server.ts', 'console.log(1)')
  write('worker/src/main.ts', 'console.log(2)')
  const inputs = ['.dockerignore', 'package.json', 'shared', 'api']
  const digest = () => hashBuildInputs(context, inputs)

  it('is the same for an unchanged tree', () => {
    expect(digest()).toBe(digest())
  })

  it('changes when a file the image is built from changes, or is renamed', () => {
    const before = digest()
    write('api/src/server.ts', 'console.log(3)')
    const edited = digest()
    expect(edited).not.toBe(before)
    rmSync(join(context, 'api/src/server.ts'))
    write('api/src/main.ts', 'console.log(3)')
    expect(digest()).not.toBe(edited)
  })

  it('ignores what .dockerignore keeps out of the context, and other services', () => {
    const before = digest()
    write('api/node_modules/x/index.js', 'junk')
    write('shared/dist/index.js', 'built')
    write('credentials', '[default]')
    write('worker/src/main.ts', 'console.log("worker changed")')
    expect(digest()).toBe(before)
  })
})
