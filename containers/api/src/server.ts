import { runService } from '@taskoverflow/shared'
import { loadApiConfig } from './config.js'
import { createApi } from './create-api.js'

runService('api', loadApiConfig, createApi)
