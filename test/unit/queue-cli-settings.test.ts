import { afterEach, describe, expect, it } from '@jest/globals'
import { sqsEndpointFrom } from '@taskoverflow/shared'
import { readSettings } from '../../containers/queue-cli/src/settings.js'
import { AWS_REGION, isHttpUrl } from '../../containers/shared/src/setting-formats.js'

/**
 * The queue CLI is a package of its own and keeps copies of the services' rules for a region, an
 * endpoint URL and which endpoint variable wins: these hold the copies to the originals.
 */
const argv = (...flags: string[]) => ['node', 'queue-demo', '--name', 'csse6400_prac', '--client-name', 'Client 1', ...flags]
const saved = process.env.SQS_ENDPOINT

afterEach(() => {
  if (saved === undefined) delete process.env.SQS_ENDPOINT
  else process.env.SQS_ENDPOINT = saved
})

const endpoints = [undefined, 'http://from-sqs-endpoint:1'].flatMap((sqs) =>
  [undefined, 'http://from-url-sqs:2'].flatMap((urlSqs) => [undefined, 'http://from-url:3'].map((url) => ({ SQS_ENDPOINT: sqs, AWS_ENDPOINT_URL_SQS: urlSqs, AWS_ENDPOINT_URL: url }))),
)

describe("the queue CLI's settings, beside the services'", () => {
  it.each(endpoints)('take the endpoint the services take from %j, SQS_ENDPOINT given as --endpoint or in the environment', (env) => {
    const { SQS_ENDPOINT, ...sdk } = env
    delete process.env.SQS_ENDPOINT
    expect(readSettings(argv(...(SQS_ENDPOINT ? ['--endpoint', SQS_ENDPOINT] : [])), sdk).flags?.endpoint).toBe(sqsEndpointFrom(env))
    if (SQS_ENDPOINT) process.env.SQS_ENDPOINT = SQS_ENDPOINT
    expect(readSettings(argv(), sdk).flags?.endpoint).toBe(sqsEndpointFrom(env))
  })

  it.each(['us-east-1', 'us-west-2', 'ap-southeast-2', 'us-gov-west-1', 'Brisbane', 'us-east', 'US-EAST-1', 'us-east-1a', 'useast1'])('take the region %s exactly when the services do', (region) => {
    const { problems } = readSettings(argv('--region', region), {})
    expect(problems.length === 0).toBe(AWS_REGION.test(region))
  })

  it.each(['http://localhost:4566', 'https://sqs.us-east-1.amazonaws.com', 'localhost:4566', 'http://', 'ftp://example.com', 'http://a b'])('take the endpoint URL %s exactly when the services do', (url) => {
    const { problems } = readSettings(argv(), { AWS_ENDPOINT_URL: url })
    expect(problems.length === 0).toBe(isHttpUrl(url))
  })
})

describe("the queue CLI's endpoint variables misspelled", () => {
  it.each([['SQS_ENDPONT', 'http://localhost:4566'], ['SQS_URL', 'http://localhost:4566'], ['AWS_ENDPOINT_SQS', 'http://localhost:4566']])('%s is named rather than the messages sent to AWS', (name, value) => {
    const { flags, problems } = readSettings(argv(), { [name]: value })
    expect(problems).toEqual([`${name} is not a setting; the endpoint is --endpoint, SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL`])
    expect(flags).toBeUndefined()
  })

  it.each([['AWS_ENDPOINT_URL_S3', 'http://localhost:9000'], ['SQS_PORT', '4566'], ['SQS_EMULATOR_RULES', 'enforce']])('%s, the SDKs\' or npm start\'s own, is left alone', (name, value) => {
    expect(readSettings(argv(), { [name]: value }).problems).toEqual([])
  })
})
