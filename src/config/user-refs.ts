import { z } from 'zod';
import { mapLeaves } from './schema-walk.js';
import { userIdSchema, type WorkspaceConfig, workspaceSchema } from './workspace.js';

/** A person given by email in `preflight.yml`, and where. */
export interface EmailRef {
  /** As written, trimmed. */
  email: string;
  /** Key path, e.g. `['workstreams', 'web', 'members', 1, 'id']`. */
  path: (string | number)[];
}

/** Whether a user reference (a value of `userIdSchema`) is an email rather than a Slack user ID. */
export function isEmailRef(ref: unknown): ref is string {
  return typeof ref === 'string' && z.email({ pattern: z.regexes.html5Email }).safeParse(ref).success;
}

/** The lookup key of an email: Slack matches addresses case-insensitively, so one person is one key. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Every person given by email in a parsed config, found wherever the schema uses `userIdSchema` (so keys added
 * later with that schema are covered without changes here). In document order.
 */
export function emailRefs(config: WorkspaceConfig): EmailRef[] {
  const found: EmailRef[] = [];
  mapLeaves(workspaceSchema, userIdSchema, config, (leaf, path) => {
    if (isEmailRef(leaf)) found.push({ email: leaf, path });
    return leaf;
  });
  return found;
}

/**
 * The parsed config (not a resolved Program) with every email (at a `userIdSchema` position) replaced by its
 * Slack user ID.
 * @param userIdOf maps an {@link emailKey} to a user ID; throws (a bug) if one is missing.
 */
export function withUserIds(config: WorkspaceConfig, userIdOf: ReadonlyMap<string, string>): WorkspaceConfig {
  // a resolved Program's directory and check-ins would keep the emails: resolve after replacing them
  if ('people' in config) throw new Error('withUserIds takes the parsed config, before resolveProgram');
  return mapLeaves(workspaceSchema, userIdSchema, config, (leaf) => {
    if (!isEmailRef(leaf)) return leaf;
    const id = userIdOf.get(emailKey(leaf));
    if (!id) throw new Error(`no user ID resolved for ${leaf}`);
    return id;
  }) as WorkspaceConfig;
}

/**
 * Who was given by which email: user ID → the email as written, read from the same key paths of the config as
 * written (`parsed`) and with user IDs (`withIds`, from {@link withUserIds}). For the people directory
 * (src/config/resolve.ts). The first email given for a person wins.
 */
export function emailsByUserId(parsed: WorkspaceConfig, withIds: WorkspaceConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const { email, path } of emailRefs(parsed)) {
    const id = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], withIds);
    if (typeof id === 'string' && !out.has(id)) out.set(id, email);
  }
  return out;
}
