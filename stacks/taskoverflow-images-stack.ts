import { DataAwsEcrAuthorizationToken } from '@cdktf/provider-aws/lib/data-aws-ecr-authorization-token'
import type { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository'
import { DockerProvider } from '@cdktf/provider-docker/lib/provider'
import { TerraformOutput } from 'cdktf'
import type { Construct } from 'constructs'
import { AwsStack, type AwsStackSettings } from './aws-stack'
import { ContainerImage } from './constructs/container-image'

export interface TaskOverflowImagesStackProps {
  readonly aws: AwsStackSettings
  readonly apiRepository: EcrRepository
  readonly workerRepository: EcrRepository
  /** Where the project is on this machine. */
  readonly projectRoot: string
  /** The platform to build for, e.g. linux/arm64. */
  readonly platform: string
}

/**
 * What a service's image is built from, relative to containers/: the workspace manifests,
 * lockfile, compiler settings and shared code, and the service's own folder.
 */
export function imageInputs(service: string): string[] {
  return ['.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'shared', service]
}

/**
 * Builds the API and worker images from containers/ and pushes them to ECR. The only stack
 * that needs Docker (and the kreuzwerker/docker provider), so the others plan without it.
 */
export class TaskOverflowImagesStack extends AwsStack {
  readonly apiImage: ContainerImage
  readonly workerImage: ContainerImage

  constructor(scope: Construct, id: string, props: TaskOverflowImagesStackProps) {
    super(scope, id, props.aws)

    const token = new DataAwsEcrAuthorizationToken(this, 'ecr-token')
    new DockerProvider(this, 'docker', {
      registryAuth: [{ address: token.proxyEndpoint, username: token.userName, password: token.password }],
    })
    const image = (imageId: string, repository: EcrRepository, service: string) =>
      new ContainerImage(this, imageId, {
        repository,
        context: 'containers',
        dockerfile: `${service}/Dockerfile`,
        inputs: imageInputs(service),
        projectRoot: props.projectRoot,
        platform: props.platform,
      })
    this.apiImage = image('api-image', props.apiRepository, 'api')
    this.workerImage = image('worker-image', props.workerRepository, 'worker')

    new TerraformOutput(this, 'api_image', { value: this.apiImage.uri })
    new TerraformOutput(this, 'worker_image', { value: this.workerImage.uri })
  }
}
