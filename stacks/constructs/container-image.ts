import { join } from 'node:path'
import type { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository'
import { Image } from '@cdktf/provider-docker/lib/image'
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image'
import { Construct } from 'constructs'
import { hashBuildInputs } from '../content-hash'
import { PROJECT_ROOT_FROM_STACK } from '../stack-paths'

export interface ContainerImageProps {
  readonly repository: EcrRepository
  /** The build context, relative to the project root. */
  readonly context: string
  /** The Dockerfile, relative to the context (containers/api/Dockerfile is `api/Dockerfile`). */
  readonly dockerfile: string
  /**
   * The files and folders in the context that the Dockerfile copies; the image tag is their
   * digest, so a change to them rebuilds and redeploys, and anything else does not.
   */
  readonly inputs: readonly string[]
  /** The platform to build for, e.g. linux/arm64; the task definition must run the same. */
  readonly platform: string
  /** Where the project root is on this machine, to read the inputs. */
  readonly projectRoot: string
}

/** Builds an image with the local Docker engine and pushes it to its ECR repository. */
export class ContainerImage extends Construct {
  readonly tag: string
  readonly image: Image
  readonly registryImage: RegistryImage
  /** repository@sha256:..., immutable, for task definitions. */
  readonly uri: string

  constructor(scope: Construct, id: string, props: ContainerImageProps) {
    super(scope, id)
    if (props.inputs.length === 0) throw new Error(`ContainerImage ${id}: inputs must name at least the Dockerfile's sources`)
    this.tag = `c-${hashBuildInputs(join(props.projectRoot, props.context), props.inputs).slice(0, 24)}`
    const triggers = { contentDigest: this.tag }

    this.image = new Image(this, 'image', {
      name: `${props.repository.repositoryUrl}:${this.tag}`,
      platform: props.platform,
      buildAttribute: {
        // kreuzwerker/docker 3.6.2 resolves `context` AND `dockerfile` against its own working
        // directory, not the Dockerfile against the context (that came with v4): see
        // prepareBuildContext and docker/cli's GetContextFromLocalDir at tag v3.6.2. Its working
        // directory is the stack's folder, under cdktf and under `terraform -chdir=...` alike
        // (Terraform changes directory before it starts a provider), so both paths are relative
        // to that folder. Relative, not absolute: `build` is ForceNew, and an absolute path would
        // rebuild the image whenever the project is checked out somewhere else.
        context: `${PROJECT_ROOT_FROM_STACK}/${props.context}`,
        dockerfile: `${PROJECT_ROOT_FROM_STACK}/${props.context}/${props.dockerfile}`,
        platform: props.platform,
        // A builder name takes 3.6.2's buildx path (resource_docker_image_funcs.go,
        // resourceDockerImageCreate); without one it takes the legacy builder, which fails on
        // Docker's containerd image store (kreuzwerker/terraform-provider-docker#534), the
        // default of Docker Desktop and of new Docker Engine 29 installs. `default` is the
        // engine's own BuildKit, which works with the containerd store on and off.
        builder: 'default',
      },
      triggers,
      keepLocally: false,
    })
    this.registryImage = new RegistryImage(this, 'push', {
      name: this.image.name,
      triggers,
      // Old images stay until the lifecycle policy expires them, so a rollback can still pull.
      keepRemotely: true,
    })
    this.uri = `${props.repository.repositoryUrl}@${this.registryImage.sha256Digest}`
  }
}
