import { describe, expect, it } from '@jest/globals'
import { STACKS, synthAll } from './synth.js'

/**
 * One snapshot per stack: a review of the whole synthesized JSON whenever it changes. The
 * content digests in image tags change with every edit under containers/, so they are masked.
 */
function masked(text: string): string {
  return text.replace(/c-[0-9a-f]{24}/g, 'c-<content digest>')
}

describe('synthesized stacks', () => {
  const synthesized = synthAll()
  it.each(STACKS)('%s matches its snapshot', (stack) => {
    expect(masked(synthesized[stack])).toMatchSnapshot()
  })
})
