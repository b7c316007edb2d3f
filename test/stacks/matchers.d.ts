import 'expect'

type TerraformConstructor = { readonly tfResourceType: string }

// The matchers Testing.setupJest() adds, on the `expect` that @jest/globals exports.
declare module 'expect' {
  interface Matchers<R extends void | Promise<void>> {
    toHaveResource(type: TerraformConstructor): R
    toHaveResourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R
    toHaveDataSource(type: TerraformConstructor): R
    toHaveDataSourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R
    toHaveProviderWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R
  }
}
