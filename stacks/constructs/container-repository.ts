import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy'
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository'
import { Construct } from 'constructs'

export interface ContainerRepositoryProps {
  /** Repository name, e.g. taskoverflow/api. */
  readonly name: string
  /**
   * Older images are expired beyond this many; a few are kept so a rollback finds its image.
   * @default 10
   */
  readonly keepImages?: number
}

/** An ECR repository that `destroy` removes even with images inside. */
export class ContainerRepository extends Construct {
  readonly repository: EcrRepository

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id)
    const keepImages = props.keepImages ?? 10
    if (!Number.isInteger(keepImages) || keepImages < 1) throw new Error(`ContainerRepository ${props.name}: keepImages must be a positive integer`)
    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      forceDelete: true,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    })
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `keep the newest ${keepImages} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    })
  }
}
