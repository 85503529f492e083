import type { WorkspaceConfig } from '../config/workspace.js';
import { permission, type Permission, type PermissionAction, type PermissionRoles } from '../domain/permissions.js';
import type { Program } from '../domain/program/program.js';
import { permissionRolesOf } from '../domain/program/program.js';

const cache = new WeakMap<WorkspaceConfig, PermissionRoles>();

/**
 * The roles preflight.yml gives people (PM, execs, workstream leads, gate sign-off authorities): the resolved
 * program's (src/config/resolve.ts), else worked out once per config by domain/program/program.ts `permissionRolesOf`.
 */
export function permissionRoles(config: WorkspaceConfig | Program): PermissionRoles {
  if ('roles' in config) return config.roles;
  let roles = cache.get(config);
  if (!roles) {
    roles = permissionRolesOf(config);
    cache.set(config, roles);
  }
  return roles;
}

/** {@link permission} under the workspace's config: may `actor` do `action`? A refusal names who can. */
export function may(config: WorkspaceConfig, actor: string, action: PermissionAction): Permission {
  return permission(permissionRoles(config), actor, action);
}
