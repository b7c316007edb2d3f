import 'vitest'

type TerraformConstructor = { readonly tfResourceType: string }

declare module 'vitest' {
  interface Assertion<T = any> {
    toHaveResource(type: TerraformConstructor): T
    toHaveResourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): T
    toHaveDataSource(type: TerraformConstructor): T
    toHaveDataSourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): T
    toHaveProviderWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): T
  }
}
