/**
 * A failure the user can fix, said in one line: the scripts print its message without a stack
 * trace (runScript in commands.ts). Thrown by the checks before Terraform runs and by the steps
 * around it (starting a stopped database).
 */
export class PreflightError extends Error {}
