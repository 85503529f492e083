import type { WorkspaceConfig } from '../config/workspace.js';
import { permission, type Permission, type PermissionAction, type PermissionRoles } from '../domain/permissions.js';

const cache = new WeakMap<WorkspaceConfig, PermissionRoles>();

/** The roles preflight.yml gives people (PM, execs, workstream leads, gate sign-off authorities); memoised per config. */
export function permissionRoles(config: WorkspaceConfig): PermissionRoles {
  let roles = cache.get(config);
  if (!roles) {
    roles = {
      pm: config.program.pm,
      execs: config.program.execs,
      workstreams: Object.fromEntries(Object.entries(config.workstreams).map(([id, w]) => [id, { name: w.name, leads: w.leads }])),
      gates: Object.fromEntries(config.gates.map((g) => [g.id, { name: g.name, signOff: g.sign_off }])),
    };
    cache.set(config, roles);
  }
  return roles;
}

/** {@link permission} under the workspace's config: may `actor` do `action`? A refusal names who can. */
export function may(config: WorkspaceConfig, actor: string, action: PermissionAction): Permission {
  return permission(permissionRoles(config), actor, action);
}
