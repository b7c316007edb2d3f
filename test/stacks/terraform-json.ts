/** Readers of synthesized Terraform JSON, shared by the stack tests and the construct tests. */

/** The parsed JSON of a synthesized stack. */
export function json(synthesized: string): any {
  return JSON.parse(synthesized)
}

/** All resources of a type, by name. */
export function resources(synthesized: string, type: string): Record<string, any> {
  return json(synthesized).resource?.[type] ?? {}
}

/** All data sources of a type, by name. */
export function dataSources(synthesized: string, type: string): Record<string, any> {
  return json(synthesized).data?.[type] ?? {}
}

/** The container definitions of a task definition, parsed. */
export function containers(synthesized: string, family: string): any[] {
  const definition = Object.values(resources(synthesized, 'aws_ecs_task_definition')).find((d) => d.family === family)
  if (!definition) throw new Error(`no task definition ${family}`)
  return JSON.parse(definition.container_definitions)
}
