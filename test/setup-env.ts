// Every SQS emulator a test starts, and every process it starts, holds requests to real SQS's rules.
process.env.SQS_EMULATOR_RULES = 'enforce'
