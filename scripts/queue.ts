/**
 * `npm run queue -- --name csse6400_prac --client-name "Client 1"`: the queue demo CLI without
 * Docker. Like the practical, it reads the Learner Lab credentials from ./credentials when
 * that file exists; otherwise the standard AWS chain (env, ~/.aws) applies.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { run } from '../containers/queue-cli/src/cli.js'
import { ROOT } from './lib/paths.js'

const credentials = join(ROOT, 'credentials')
if (existsSync(credentials)) process.env.AWS_SHARED_CREDENTIALS_FILE ??= credentials
// The SDK warns that releases from 2027 need Node 22; on Node 20 today that is noise for a demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

process.exitCode = await run(process.argv)
