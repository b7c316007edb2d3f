/**
 * Imported first by the command-line scripts. The AWS SDK warns, on Node 20, that its releases
 * from 2027 will need Node 22; true, but noise in every command's output. The images run Node 24.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
