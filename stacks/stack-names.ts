/** The queue playground, on its own. */
export const PLAYGROUND_STACK = 'queue-playground'
/** What the services stand on and what outlives a redeploy: network, repositories, queue, database. */
export const CORE_STACK = 'taskoverflow-core'
/** The images, pushed into core's repositories; the only stack that needs Docker. */
export const IMAGES_STACK = 'taskoverflow-images'
/** The services that run the images against core's queue and database. */
export const SERVICES_STACK = 'taskoverflow-services'

/** The app's stacks by name, in deploy order (destroy goes the other way). */
export const APP_STACKS = [PLAYGROUND_STACK, CORE_STACK, IMAGES_STACK, SERVICES_STACK] as const

/** The stack of the team's state bucket, apart from the app's own: `npm run state-bucket` deploys it, nothing else does. */
export const STATE_BUCKET_STACK = 'state-bucket'
