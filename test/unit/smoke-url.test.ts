import { describe, expect, it } from '@jest/globals'
import { apiBase } from '../../scripts/smoke.js'

describe('the URL npm run smoke is given', () => {
  it.each(['http://localhost:6400', 'http://localhost:6400/', 'http://localhost:6400/api/v1', 'http://localhost:6400/api/v1/'])('%s is the same API', (url) => {
    expect(apiBase(url)).toBe('http://localhost:6400/api/v1')
  })
})
