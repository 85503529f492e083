import type { ProgramDeclaration } from '../../domain/program/declaration.js';
import { checkCheckins, checkinDefaultsSchema, checkStandups, standupDefaultsSchema } from './checkins.js';
import { checkLadders, escalationSchema } from './escalation.js';
import { checkOncallTargets } from './oncall.js';
import { checkGates, gatesSchema, gonogoSchema } from './gates.js';
import { calendarSchema, programSchema, schedulerSchema } from './program.js';
import { checkTasks, taskSettingsSchema } from './tasks.js';
import { checkWorkstreams, workstreamsSchema } from './workstreams.js';
import { checkDelegates } from './people.js';
import { z } from 'zod';

/*
 * The shape of `preflight.yml`: one program (launch) per file. Keys are snake_case as users write them;
 * the parsed result keeps them, with durations turned into milliseconds and defaults filled in. Each part is
 * declared in its own module with the rules across its keys (program, checkins, workstreams, tasks, gates,
 * escalation); this one puts them together, in the order the keys are documented.
 */

const workspaceSchemaBase = z.strictObject({
  program: programSchema,
  checkins: checkinDefaultsSchema,
  calendar: calendarSchema,
  standup: standupDefaultsSchema,
  scheduler: schedulerSchema,
  workstreams: workstreamsSchema,
  escalation: escalationSchema,
  tasks: taskSettingsSchema,
  gates: gatesSchema,
  gonogo: gonogoSchema,
});

/** `preflight.yml`: every key's own schema, then the rules across keys, each reported at its key path. */
export const workspaceSchema = workspaceSchemaBase.superRefine((cfg, ctx) => {
  checkCheckins(cfg, ctx);
  checkTasks(cfg, ctx);
  checkStandups(cfg, ctx);
  checkGates(cfg, ctx);
  checkWorkstreams(cfg, ctx);
  checkLadders(cfg, ctx);
  checkOncallTargets(cfg, ctx);
  checkDelegates(cfg, ctx);
});

/** Compile-time check that every key the domain declares is parsed (the parser's result is checked against it where it is returned). */
type Parses<T extends z.infer<typeof workspaceSchema>> = T;

/** `preflight.yml` as parsed: durations in ms, each key's own default applied: the domain's `ProgramDeclaration`. */
export type WorkspaceConfig = Parses<ProgramDeclaration>;
export type WorkstreamConfig = WorkspaceConfig['workstreams'][string];
export type EscalationConfig = WorkspaceConfig['escalation'];
