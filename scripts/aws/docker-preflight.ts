import { spawnSync } from 'node:child_process'
import { PreflightError } from '../lib/errors.js'

/** The parts of `docker info --format '{{json .}}'` the checks read. */
export interface DockerInfo {
  readonly ServerVersion?: string
  readonly OSType?: string
  readonly Architecture?: string
  readonly OperatingSystem?: string
  readonly DriverStatus?: ReadonlyArray<readonly [string, string]> | null
  /** Present when the CLI reached no engine. */
  readonly ServerErrors?: readonly string[]
}

/** One entry of `docker context inspect` (the current context). */
export interface DockerContext {
  readonly Name: string
  readonly Endpoints?: { readonly docker?: { readonly Host?: string } }
}

export interface DockerCheck {
  /** What the docker provider needs in its environment to reach the engine the CLI reached. */
  readonly env: Record<string, string>
  /** Facts worth a line in the deploy's output. */
  readonly notes: string[]
}

/** `docker info` reports the architecture as the kernel names it. */
const ENGINE_ARCH: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64' }

/** Docker's containerd image store: the snapshotter shows in the storage driver's status. */
export function usesContainerdStore(info: DockerInfo): boolean {
  return (info.DriverStatus ?? []).some(([key, value]) => key === 'driver-type' && value.startsWith('io.containerd.snapshotter'))
}

/**
 * The Docker checks of `npm run deploy` and `destroy`, over what the docker CLI printed. The
 * kreuzwerker/docker provider (3.6.2) does not follow the CLI's current context: it uses
 * DOCKER_HOST, else /var/run/docker.sock. So the endpoint of the context the CLI used is handed
 * to it as DOCKER_HOST, and whatever `docker info` reached, the provider reaches.
 */
export function checkDockerFacts(input: {
  readonly info: DockerInfo
  readonly context: DockerContext
  readonly env: NodeJS.ProcessEnv
  /** The architecture the images are built for (TASKOVERFLOW_ARCH). */
  readonly arch: string
}): DockerCheck {
  const { info, context, env, arch } = input
  const host = env.DOCKER_HOST || context.Endpoints?.docker?.Host
  if (!host) throw new PreflightError(`The Docker context ${context.Name} names no Docker endpoint. Choose one that does: docker context use default`)
  if (!info.ServerVersion || (info.ServerErrors?.length ?? 0) > 0) {
    throw new PreflightError(`Docker is needed for the stack taskoverflow-images (the docker provider builds and pushes its images, and removes them on destroy), but the engine at ${host} (context ${context.Name}) did not answer. Start Docker Desktop, Colima or the Docker service, or name only the other stacks.`)
  }
  if (info.OSType && info.OSType !== 'linux') {
    throw new PreflightError(`Docker runs ${info.OSType} containers; the images are Linux images. Switch Docker Desktop to Linux containers.`)
  }
  checkBuildkit(env)
  const notes = [`Docker ${info.ServerVersion} at ${host} (context ${context.Name}), ${usesContainerdStore(info) ? 'containerd image store' : 'classic image store'}`]
  const engineArch = info.Architecture ? ENGINE_ARCH[info.Architecture] : undefined
  if (engineArch && engineArch !== arch) {
    notes.push(`The images are built for ${arch} on an ${engineArch} engine, under emulation: slower. TASKOVERFLOW_ARCH=${engineArch} builds natively (Fargate runs either).`)
  }
  return { env: { DOCKER_HOST: host }, notes }
}

/**
 * 3.6.2 reads DOCKER_BUILDKIT before choosing a builder (canUseBuildx, docker_buildx_build.go):
 * 0 sends every build to the legacy builder, and anything but a boolean is an error (the docker
 * CLI refuses such a value too, so this runs before it).
 */
function checkBuildkit(env: NodeJS.ProcessEnv): void {
  const buildkit = env.DOCKER_BUILDKIT
  if (buildkit === undefined || buildkit === '') return
  if (!/^(1|0|t|f|true|false)$/i.test(buildkit)) throw new PreflightError(`DOCKER_BUILDKIT is "${buildkit}"; the docker provider takes only true or false there. Unset it.`)
  if (/^(0|f|false)$/i.test(buildkit)) {
    throw new PreflightError('DOCKER_BUILDKIT=0 makes the docker provider use its legacy builder, which cannot build with Docker\'s containerd image store and is deprecated. Unset DOCKER_BUILDKIT.')
  }
}

/** Runs `docker context inspect` and `docker info` and checks what they print. */
export function checkDocker(arch: string, env: NodeJS.ProcessEnv = process.env): DockerCheck {
  checkBuildkit(env)
  const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 20_000, env })
  const inspected = docker('context', 'inspect')
  if (inspected.error) throw new PreflightError('Docker is needed for the stack taskoverflow-images (the docker provider builds and pushes its images, and removes them on destroy), but the docker command was not found. Install Docker, or name only the other stacks.')
  if (inspected.status !== 0) throw new PreflightError(`docker context inspect failed: ${inspected.stderr.trim()}`)
  const [context] = JSON.parse(inspected.stdout) as DockerContext[]
  const infoRun = docker('info', '--format', '{{json .}}')
  let info: DockerInfo = {}
  try {
    info = JSON.parse(infoRun.stdout) as DockerInfo
  } catch {
    // no engine: the checks say so with the endpoint
  }
  return checkDockerFacts({ info, context: context ?? { Name: 'default' }, env, arch })
}
