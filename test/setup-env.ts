// Every SQS emulator a test starts, and every process it starts, holds requests to real SQS's rules.
process.env.TASKOVERFLOW_SQS_RULES = 'enforce'
