/**
 * The app's stacks by name, in deploy order (destroy goes the other way): the playground on its
 * own; core, then the images pushed into core's repositories, then the services that run them.
 */
export const APP_STACKS = ['queue-playground', 'taskoverflow-core', 'taskoverflow-images', 'taskoverflow-services'] as const

/** The stack of the team's state bucket, apart from the app's own: `npm run state-bucket` deploys it, nothing else does. */
export const STATE_BUCKET_STACK = 'state-bucket'
