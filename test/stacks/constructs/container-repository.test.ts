import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js'
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js'
import { describe, expect, it } from '@jest/globals'
import { ContainerRepository, type ContainerRepositoryProps } from '../../../stacks/constructs/container-repository.js'
import { ref, resources, synthConstruct } from './synth-construct.js'

function synthRepository(props: Partial<ContainerRepositoryProps> = {}) {
  return synthConstruct((scope) => new ContainerRepository(scope, 'api-repository', { name: 'taskoverflow/api', ...props }))
}

/** The one lifecycle policy's rules, parsed. */
function lifecycleRules(synthesized: string) {
  const policies = Object.values(resources(synthesized, 'aws_ecr_lifecycle_policy'))
  expect(policies).toHaveLength(1)
  return JSON.parse(policies[0].policy).rules
}

describe('ContainerRepository', () => {
  it('is a repository that destroy empties, scanning each image pushed, whose tags a new push may move', () => {
    const { synthesized } = synthRepository()
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: 'taskoverflow/api',
      force_delete: true,
      image_tag_mutability: 'MUTABLE',
      image_scanning_configuration: { scan_on_push: true },
    })
  })

  it('expires all but the newest 10 images by default, so a rollback still finds the last few', () => {
    const { synthesized, made } = synthRepository()
    expect(synthesized).toHaveResourceWithProperties(EcrLifecyclePolicy, { repository: ref(made.repository, 'name') })
    expect(lifecycleRules(synthesized)).toEqual([
      {
        rulePriority: 1,
        description: 'keep the newest 10 images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      },
    ])
  })

  it('keeps as many images as it is told to', () => {
    const [rule] = lifecycleRules(synthRepository({ keepImages: 3 }).synthesized)
    expect(rule).toMatchObject({ description: 'keep the newest 3 images', selection: { countNumber: 3 } })
    expect(lifecycleRules(synthRepository({ keepImages: 1 }).synthesized)[0].selection.countNumber).toBe(1)
  })

  it.each([0, -1, 2.5])('refuses to keep %p images, naming the repository', (keepImages) => {
    expect(() => synthRepository({ keepImages })).toThrow('ContainerRepository taskoverflow/api: keepImages must be a positive integer')
  })
})
