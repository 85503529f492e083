import type { ProgramDeclaration } from './declaration.js';

/** A workstream's IANA zone: its own `timezone`, else the program's (also for an unknown workstream id). */
export function workstreamZone(config: Pick<ProgramDeclaration, 'program' | 'workstreams'>, workstreamId: string): string {
  return config.workstreams[workstreamId]?.timezone ?? config.program.timezone;
}
