import { isAbsolute, join, resolve } from 'node:path'
import { ROOT } from '../../scripts/lib/paths.js'

/** The kreuzwerker/docker release @cdktf/provider-docker 12.0.3 pins, whose rules these are. */
export const DOCKER_PROVIDER_VERSION = '3.6.2'

/** Where cdktf (and `terraform -chdir=...`) runs the images stack: the docker provider's working directory. */
const IMAGES_STACK_DIR = join(ROOT, 'cdktf.out', 'stacks', 'taskoverflow-images')

export interface ImageBuild {
  /** The docker_image resource's key in the JSON. */
  readonly resource: string
  /** The service whose ECR repository the image is pushed to (api, worker). */
  readonly service: string
  /** The image name as written, `${repository_url}:c-...`. */
  readonly name: string
  readonly tag: string
  /** `build.context` and `build.dockerfile` as written, and resolved as the provider does. */
  readonly written: { readonly context: string; readonly dockerfile: string }
  readonly context: string
  readonly dockerfile: string
  readonly platform: string
  readonly builder: string
}

/**
 * Every docker_image build of a synthesized images stack, with `build.context` and
 * `build.dockerfile` resolved as kreuzwerker/docker 3.6.2 resolves them: both against the
 * provider's working directory, the stack folder. Go's filepath.Abs is a lexical join with the
 * working directory, as path.resolve is. (prepareBuildContext calls docker/cli's
 * GetContextFromLocalDir, which makes the Dockerfile absolute from the working directory before
 * relating it to the context; the buildx path hands both to buildx, which does the same.)
 */
export function imageBuilds(stack: any, stackDir = IMAGES_STACK_DIR): ImageBuild[] {
  const fromStack = (value: string) => (isAbsolute(value) ? value : resolve(stackDir, value))
  return Object.entries<any>(stack.resource?.docker_image ?? {}).map(([resource, image]) => {
    const build = image.build
    if (!build?.context) throw new Error(`docker_image.${resource} has no build.context`)
    const service = /aws_ecr_repository(\w+)-repository/.exec(image.name)?.[1]
    if (!service) throw new Error(`docker_image.${resource} is not pushed to a service's ECR repository: ${image.name}`)
    const dockerfile = build.dockerfile ?? 'Dockerfile'
    return {
      resource,
      service,
      name: image.name,
      tag: image.name.slice(image.name.lastIndexOf(':') + 1),
      written: { context: build.context, dockerfile },
      context: fromStack(build.context),
      // 3.6.2's schema default for dockerfile is `Dockerfile`, also from the working directory.
      dockerfile: fromStack(dockerfile),
      platform: build.platform ?? '',
      builder: build.builder ?? '',
    }
  })
}
