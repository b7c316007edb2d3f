import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DockerProvider } from '@cdktf/provider-docker/lib/provider/index.js'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { hashBuildInputs } from '../../stacks/content-hash.js'
import { imageInputs } from '../../stacks/taskoverflow-images-stack.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { DOCKER_PROVIDER_VERSION, imageBuilds } from '../support/docker-build.js'
import { testFolder } from '../support/test-folder.js'
import { json, resources, synthAll } from './synth.js'

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

  it('pins the docker provider whose path rules the builds are written for', () => {
    expect(json(images).terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: DOCKER_PROVIDER_VERSION })
  })

  it("builds each image from the files kreuzwerker/docker 3.6.2 finds from the stack's folder: containers/ and that service's Dockerfile", () => {
    const builds = imageBuilds(json(images))
    expect(builds.map((b) => b.service).sort()).toEqual(['api', 'worker'])
    for (const build of builds) {
      const found = { context: existsSync(build.context) && statSync(build.context).isDirectory(), dockerfile: existsSync(build.dockerfile) && statSync(build.dockerfile).isFile() }
      expect({ service: build.service, ...build.written, found }).toEqual({ service: build.service, ...build.written, found: { context: true, dockerfile: true } })
      expect(build.context).toBe(join(ROOT, 'containers'))
      expect(build.dockerfile).toBe(join(ROOT, 'containers', build.service, 'Dockerfile'))
    }
  })

  it('builds for the architecture the services run on, from one setting', () => {
    for (const [arch, platform, fargate] of [['arm64', 'linux/arm64', 'ARM64'], ['amd64', 'linux/amd64', 'X86_64']] as const) {
      const stacks = synthAll({ TASKOVERFLOW_ARCH: arch })
      for (const [, image] of Object.entries<any>(resources(stacks['taskoverflow-images'], 'docker_image'))) {
        expect([image.platform, image.build.platform]).toEqual([platform, platform])
      }
      const tasks = Object.values<any>(resources(stacks['taskoverflow-services'], 'aws_ecs_task_definition'))
      expect(tasks.map((task) => task.runtime_platform.cpu_architecture)).toEqual([fargate, fargate])
    }
  })

  it("tags each service's image with the digest of that service's own inputs", () => {
    const tags = Object.values(resources(images, 'docker_image')).map((image) => image.triggers.contentDigest)
    expect(new Set(tags).size).toBe(2)
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
  const folder = testFolder('taskoverflow-context-')
  const write = folder.write
  beforeAll(() => {
    cpSync(join(ROOT, 'containers', '.dockerignore'), join(folder.path, '.dockerignore'))
    write('package.json', '{}')
    write('shared/src/index.ts', 'export {}')
    write('api/src/server.ts', 'console.log(1)')
    write('worker/src/main.ts', 'console.log(2)')
  })
  afterAll(() => folder.remove())
  const inputs = ['.dockerignore', 'package.json', 'shared', 'api']
  const digest = () => hashBuildInputs(folder.path, inputs)

  it('is the same for an unchanged tree', () => {
    expect(digest()).toBe(digest())
  })

  it('changes when a file the image is built from changes, or is renamed', () => {
    const before = digest()
    write('api/src/server.ts', 'console.log(3)')
    const edited = digest()
    expect(edited).not.toBe(before)
    rmSync(join(folder.path, 'api/src/server.ts'))
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
