/**
 * The one entry point of the CDK for Terraform app: reads the environment once, defines every
 * stack and synthesizes Terraform JSON into cdktf.out/. Run by `cdktf synth|deploy|destroy`
 * (see cdktf.json) and by `npm run synth`.
 */
import { join } from 'node:path'
import { App } from 'cdktf'
import { SETTINGS_PAGE } from '../containers/shared/src/setting-formats'
import { DeployConfigError, readDeployConfig } from './config'
import { credentialsSummary, providerCredentialsFile } from './credentials-file'
import { synthesizeApp } from './synthesize'

// Every stack, with the environment's settings: a stack name or a flag here would be ignored.
if (process.argv.length > 2) {
  if (process.argv.length === 3 && ['--help', '-h'].includes(process.argv[2]!)) {
    console.log(`npm run synth: every stack's Terraform JSON into cdktf.out/, deploying nothing.\nIt takes no arguments; its settings are environment variables, listed in ${SETTINGS_PAGE}.`)
    process.exit(0)
  }
  console.error(`npm run synth takes no arguments (given: ${process.argv.slice(2).join(' ')}); its settings are environment variables, listed in ${SETTINGS_PAGE}.`)
  process.exit(2)
}

try {
  const config = readDeployConfig(process.env)
  const projectRoot = join(__dirname, '..')
  const started = Date.now()
  const app = new App()
  // The practical keeps the Learner Lab credentials in ./credentials; without it, the standard AWS chain.
  const names = Object.keys(synthesizeApp(config, { credentialsFile: providerCredentialsFile(config.credentialsFile, projectRoot), projectRoot }, app))
  console.log(`Synthesized ${names.join(', ')} into ${join(app.outdir, 'stacks')} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  // Plain terraform reads them only at plan; say now what it will find, and what to do if nothing.
  console.log(credentialsSummary(process.env, projectRoot))
} catch (err) {
  if (!(err instanceof DeployConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}
