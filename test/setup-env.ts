// The SDK warns on Node 20 that releases from 2027 need Node 22; noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
// Every SQS emulator a test starts, and every process it starts, holds requests to real SQS's rules.
process.env.TASKOVERFLOW_SQS_RULES = 'enforce'
