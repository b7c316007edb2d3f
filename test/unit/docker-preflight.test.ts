import { describe, expect, it } from '@jest/globals'
import { PreflightError } from '../../scripts/lib/errors.js'
import { checkDocker, checkDockerFacts, usesContainerdStore, type DockerContext, type DockerInfo } from '../../scripts/aws/docker-preflight.js'

/** What `docker info --format '{{json .}}'` and `docker context inspect` print, cut to the fields read. */
const machines: Record<string, { info: DockerInfo; context: DockerContext }> = {
  'Docker Desktop on Apple Silicon, containerd image store (its default)': {
    info: { ServerVersion: '28.5.1', OSType: 'linux', Architecture: 'aarch64', OperatingSystem: 'Docker Desktop', DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] },
    context: { Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///Users/sam/.docker/run/docker.sock' } } },
  },
  'Docker Desktop on Intel, classic image store': {
    info: { ServerVersion: '27.3.1', OSType: 'linux', Architecture: 'x86_64', OperatingSystem: 'Docker Desktop', DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true']] },
    context: { Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///Users/sam/.docker/run/docker.sock' } } },
  },
  Colima: {
    info: { ServerVersion: '27.4.0', OSType: 'linux', Architecture: 'aarch64', OperatingSystem: 'Ubuntu 24.04.1 LTS', DriverStatus: [['Backing Filesystem', 'extfs']] },
    context: { Name: 'colima', Endpoints: { docker: { Host: 'unix:///Users/sam/.colima/default/docker.sock' } } },
  },
  'Docker Engine 29 on Linux (containerd store on new installs)': {
    info: { ServerVersion: '29.0.2', OSType: 'linux', Architecture: 'x86_64', OperatingSystem: 'Ubuntu 24.04.3 LTS', DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] },
    context: { Name: 'default', Endpoints: { docker: { Host: 'unix:///var/run/docker.sock' } } },
  },
}

describe('the Docker checks before a deploy', () => {
  it.each(Object.entries(machines))('%s: hands the provider the endpoint the CLI used', (_machine, { info, context }) => {
    const check = checkDockerFacts({ info, context, env: {}, arch: info.Architecture === 'aarch64' ? 'arm64' : 'amd64' })
    expect(check.env).toEqual({ DOCKER_HOST: context.Endpoints!.docker!.Host })
    expect(check.notes).toEqual([expect.stringContaining(`(context ${context.Name})`)])
  })

  it('tells the containerd image store from the classic one', () => {
    expect(Object.fromEntries(Object.entries(machines).map(([name, { info }]) => [name, usesContainerdStore(info)]))).toEqual({
      'Docker Desktop on Apple Silicon, containerd image store (its default)': true,
      'Docker Desktop on Intel, classic image store': false,
      Colima: false,
      'Docker Engine 29 on Linux (containerd store on new installs)': true,
    })
  })

  it('keeps a DOCKER_HOST the user set, which the CLI follows too', () => {
    const { info, context } = machines.Colima!
    expect(checkDockerFacts({ info, context, env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, arch: 'arm64' }).env).toEqual({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })
  })

  it.each([
    ['DOCKER_BUILDKIT=0', { DOCKER_BUILDKIT: '0' }, 'Unset DOCKER_BUILDKIT'],
    ['DOCKER_BUILDKIT=false', { DOCKER_BUILDKIT: 'false' }, 'legacy builder'],
    ['DOCKER_BUILDKIT=yes', { DOCKER_BUILDKIT: 'yes' }, 'takes only true or false'],
  ])('refuses %s, which would take the legacy builder or fail', (_what, env, message) => {
    const { info, context } = machines['Docker Desktop on Apple Silicon, containerd image store (its default)']!
    expect(() => checkDockerFacts({ info, context, env, arch: 'arm64' })).toThrow(PreflightError)
    expect(() => checkDockerFacts({ info, context, env, arch: 'arm64' })).toThrow(message)
  })

  it('names the endpoint when the engine does not answer', () => {
    const { context } = machines['Docker Desktop on Intel, classic image store']!
    const stopped: DockerInfo = { ServerErrors: ['Cannot connect to the Docker daemon at unix:///Users/sam/.docker/run/docker.sock. Is the docker daemon running?'] }
    expect(() => checkDockerFacts({ info: stopped, context, env: {}, arch: 'amd64' })).toThrow('the engine at unix:///Users/sam/.docker/run/docker.sock (context desktop-linux) did not answer')
  })

  it('refuses Windows containers', () => {
    const { context } = machines['Docker Desktop on Intel, classic image store']!
    expect(() => checkDockerFacts({ info: { ServerVersion: '27.3.1', OSType: 'windows' }, context, env: {}, arch: 'amd64' })).toThrow('Switch Docker Desktop to Linux containers')
  })

  it('says when the images would be built under emulation, and how to build natively', () => {
    const { info, context } = machines['Docker Desktop on Apple Silicon, containerd image store (its default)']!
    expect(checkDockerFacts({ info, context, env: {}, arch: 'amd64' }).notes[1]).toBe(
      'The images are built for amd64 on an arm64 engine, under emulation: slower. TASKOVERFLOW_ARCH=arm64 builds natively (Fargate runs either).',
    )
  })
})

describe('DOCKER_BUILDKIT set to something no tool takes', () => {
  it('is named before the docker CLI runs, which would refuse it in its own words', () => {
    // No docker on this PATH: had the CLI run first, the message would be that it is missing.
    expect(() => checkDocker('amd64', { PATH: '/nonexistent', DOCKER_BUILDKIT: 'maybe' })).toThrow('DOCKER_BUILDKIT is "maybe"; the docker provider takes only true or false there. Unset it.')
  })
})
