/**
 * The images stack's build and push, done for real where no Docker engine runs: each image is
 * built with podman from exactly the context and Dockerfile that kreuzwerker/docker 3.6.2 would
 * resolve from the synthesized JSON, pushed to a real registry (Debian's docker-registry serves
 * the Docker Registry HTTP API v2, as ECR does), asked for its digest the way the provider's
 * docker_registry_image asks, and pulled back by that digest, the reference task definitions use.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { freePort } from '../../scripts/local/ports.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { killWithParent } from '../../scripts/local/services.js'
import { imageBuilds, type ImageBuild } from '../support/docker-build.js'
import { eventually } from '../support/eventually.js'
import { json, synthAll } from '../stacks/synth.js'
import { testFolder } from '../support/test-folder.js'

const run = promisify(execFile)

function need(names: string[], install: string): string {
  for (const name of names) {
    const found = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find((path) => existsSync(path))
    if (found) return found
  }
  throw new Error(`${names[0]} is needed for the image tests. Install it (Debian/Ubuntu: apt-get install ${install}).`)
}

const podman = need(['podman'], 'podman runc')
need(['runc'], 'runc')
const registryBin = need(['docker-registry', 'registry'], 'docker-registry')
/** As scripts/podman-images.sh runs podman where no container engine is set up. */
const PODMAN_RUN = ['--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']
/** What the provider's getImageDigest (data_source_docker_registry_image.go, v3.6.2) accepts. */
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]

const workDir = testFolder('taskoverflow-images-')
let registry: ChildProcess
let registryHost: string
let nodeImage: string
const builds = imageBuilds(json(synthAll()['taskoverflow-images']))
const created: string[] = []
/** Dangling images before the run: the builds' intermediate stages are removed afterwards, nothing else. */
let danglingBefore: Set<string>
const dangling = async () => new Set((await podmanDo('images', '--quiet', '--no-trunc', '--filter', 'dangling=true')).split('\n').filter(Boolean))

async function podmanDo (...args: string[]): Promise<string> {
  return (await run(podman, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 })).stdout.trim()
}

beforeAll(async () => {
  danglingBefore = await dangling()
  nodeImage = (await run(join(ROOT, 'scripts', 'podman-base-image.sh'), [], { cwd: ROOT })).stdout.trim()
  const port = await freePort()
  registryHost = `127.0.0.1:${port}`
  const config = join(workDir.path, 'registry.yml')
  writeFileSync(
    config,
    `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${JSON.stringify(join(workDir.path, 'registry'))} } }\nhttp: { addr: ${JSON.stringify(registryHost)} }\n`,
  )
  // It logs every HEAD that finds no blob yet (normal before an upload) as an error: quiet.
  registry = spawn(registryBin, ['serve', config], { stdio: 'ignore' })
  killWithParent(registry)
  await eventually('the registry to answer /v2/', async () => (await fetch(`http://${registryHost}/v2/`).catch(() => undefined))?.ok, 15_000, 100)
})

afterAll(async () => {
  registry?.kill('SIGTERM')
  if (created.length > 0) await run(podman, ['rmi', '--force', ...created]).catch(() => undefined)
  const stages = [...(await dangling())].filter((id) => !danglingBefore.has(id))
  if (stages.length > 0) await run(podman, ['rmi', '--force', ...stages]).catch(() => undefined)
  workDir.remove()
})

/** The repository the stack pushes to, here on the local registry instead of ECR. */
const repositoryOf = (build: ImageBuild) => `${registryHost}/taskoverflow/${build.service}`

/** docker_registry_image's digest: a HEAD of the manifest with the provider's Accept list, its Docker-Content-Digest. */
async function registryDigest(repository: string, reference: string): Promise<string> {
  const response = await fetch(`http://${registryHost}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES.join(', ') } })
  expect(response.status).toBe(200)
  return response.headers.get('docker-content-digest') ?? ''
}

describe('the images, built as the provider would build them and pushed to a registry', () => {
  it('finds both images in the synthesized stack', () => {
    expect(builds.map((build) => build.service).sort()).toEqual(['api', 'worker'])
  })

  it.each(builds.map((build) => [build.service, build] as const))('%s: builds from the resolved context and Dockerfile, pushes, and pulls back by digest', async (service, build) => {
    const repository = repositoryOf(build)
    const tagged = `${repository}:${build.tag}`
    created.push(tagged)
    await podmanDo('build', '--quiet', '--isolation', 'chroot', ...PODMAN_RUN, '--format', 'docker', '--platform', build.platform, '--build-arg', `NODE_IMAGE=${nodeImage}`, '-f', build.dockerfile, '-t', tagged, build.context)

    const digestFile = join(workDir.path, `${service}.digest`)
    await podmanDo('push', '--quiet', '--tls-verify=false', '--digestfile', digestFile, tagged)
    const pushed = readFileSync(digestFile, 'utf8').trim()
    const digest = await registryDigest(`taskoverflow/${service}`, build.tag)
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(digest).toBe(pushed)

    // The task definition's image: repository@sha256:..., as ContainerImage.uri writes it.
    const byDigest = `${repository}@${digest}`
    await podmanDo('rmi', '--force', tagged)
    await podmanDo('pull', '--quiet', '--tls-verify=false', byDigest)
    created.push(byDigest)
    const [os, arch] = build.platform.split('/')
    expect(await podmanDo('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', byDigest)).toBe(`${os}/${arch}`)
    const facts = JSON.parse(
      await podmanDo('run', '--rm', ...PODMAN_RUN, '--entrypoint', 'node', byDigest, '-e', `console.log(JSON.stringify({ uid: process.getuid(), main: require('fs').existsSync('/app/${service}/dist') }))`),
    )
    expect(facts).toEqual({ uid: 1000, main: true })
  })
})
