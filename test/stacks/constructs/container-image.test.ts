import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js'
import { Image } from '@cdktf/provider-docker/lib/image/index.js'
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image/index.js'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ContainerImage, type ContainerImageProps } from '../../../stacks/constructs/container-image.js'
import { testFolder } from '../../support/test-folder.js'
import { ref, synthConstruct } from './synth-construct.js'

/** A project of its own, so the test can change what the image is built from. */
const project = testFolder('taskoverflow-image-')
const write = project.write
beforeAll(() => {
  write('containers/api/Dockerfile', 'FROM scratch\nCOPY shared api ./\n')
  write('containers/api/src/server.ts', 'console.log(1)')
  write('containers/shared/index.ts', 'export {}')
  write('containers/README.md', 'not copied into the image')
})
afterAll(() => project.remove())

function synthImage(props: Partial<ContainerImageProps> = {}) {
  return synthConstruct((scope) => {
    const repository = new EcrRepository(scope, 'repository', { name: 'taskoverflow/api' })
    const image = new ContainerImage(scope, 'api-image', { repository, context: 'containers', dockerfile: 'api/Dockerfile', inputs: ['api', 'shared'], platform: 'linux/arm64', projectRoot: project.path, ...props })
    return { repository, image }
  })
}

describe('ContainerImage', () => {
  it('tags the image with the digest of its inputs, which decides when it is built and pushed again', () => {
    const { synthesized, made } = synthImage()
    const { tag } = made.image
    expect(tag).toMatch(/^c-[0-9a-f]{24}$/)
    expect(synthesized).toHaveResourceWithProperties(Image, { name: `${ref(made.repository, 'repository_url')}:${tag}`, triggers: { contentDigest: tag } })
    expect(synthesized).toHaveResourceWithProperties(RegistryImage, { triggers: { contentDigest: tag } })
  })

  it('is tagged anew when a file of its inputs changes, and not when anything else in the context does', () => {
    const before = synthImage().made.image.tag
    write('containers/README.md', 'still not copied')
    expect(synthImage().made.image.tag).toBe(before)
    write('containers/api/src/server.ts', 'console.log(2)')
    expect(synthImage().made.image.tag).not.toBe(before)
    expect(synthImage({ inputs: ['api'] }).made.image.tag).not.toBe(synthImage().made.image.tag)
  })

  it("builds from the context and Dockerfile as paths from the stack's folder, for the platform asked, with the engine's own BuildKit", () => {
    expect(synthImage().synthesized).toHaveResourceWithProperties(Image, {
      platform: 'linux/arm64',
      build: { context: '../../../containers', dockerfile: '../../../containers/api/Dockerfile', platform: 'linux/arm64', builder: 'default' },
      keep_locally: false,
    })
    expect(synthImage({ context: 'containers/api', dockerfile: 'Dockerfile', inputs: ['src'], platform: 'linux/amd64' }).synthesized).toHaveResourceWithProperties(Image, {
      platform: 'linux/amd64',
      build: { context: '../../../containers/api', dockerfile: '../../../containers/api/Dockerfile', platform: 'linux/amd64', builder: 'default' },
    })
  })

  it('pushes the image and leaves it in ECR when replaced, so a rollback can still pull it', () => {
    const { synthesized, made } = synthImage()
    expect(synthesized).toHaveResourceWithProperties(RegistryImage, { name: ref(made.image.image, 'name'), keep_remotely: true })
  })

  it('gives task definitions the pushed image by its immutable digest', () => {
    const { made, resolve } = synthImage()
    expect(resolve(made.image.uri)).toBe(`${ref(made.repository, 'repository_url')}@${ref(made.image.registryImage, 'sha256_digest')}`)
  })

  it('refuses to build from no inputs, whose digest would never change, naming the image', () => {
    expect(() => synthImage({ inputs: [] })).toThrow("ContainerImage api-image: inputs must name at least the Dockerfile's sources")
  })
})
