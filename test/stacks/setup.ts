import { Testing } from 'cdktf'

// cdktf's own Jest matchers (toHaveResourceWithProperties, toHaveProviderWithProperties, ...).
Testing.setupJest()
