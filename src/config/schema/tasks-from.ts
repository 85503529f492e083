import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { localTimeSchema } from './fields.js';

/*
 * `workstreams.<id>.tasks_from` (issue 21): where a workstream's tracker tasks come from. One or more sources; each
 * names exactly one tracker. Secrets never sit in the file: each `*_env` key names the environment variable that
 * holds the secret (checked at start-up by services/trackers/, which names the variable when it is missing or refused).
 */

const envNameSchema = z
  .string({ error: 'expected the name of an environment variable such as JIRA_TOKEN' })
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable such as JIRA_TOKEN (the secret itself stays out of the file)');

/** What every source shares: the mapping knobs, write-back, the poll period and the webhook secret's variable. */
const common = {
  /** Name of the variable with the API token (Jira: API token with `email_env`, or a Data Center PAT; Linear: API key or OAuth token; GitHub: a fine-grained PAT). */
  token_env: envNameSchema.optional(),
  /** Name of the variable with the webhook secret; without it the source's webhook route answers 404 and only the poll syncs. */
  webhook_secret_env: envNameSchema.optional(),
  /** Move issues to done and comment on escalation / blockers (opt-in). */
  write_back: z.boolean().default(false),
  /** The reconcile poll's period (the first sync runs at start-up). */
  poll_every: durationSchema.default(5 * 60_000),
  /** The local hour (program zone) a date-only due lands on. */
  due_hour: localTimeSchema.default('17:00'),
  /** Hours per story point, for trackers that estimate in points. */
  hours_per_point: z.number().positive().max(100).default(4),
  /** Status name (as written in the tracker, any case) → percent complete; a status not listed keeps the last reported percent (0 for a new task). */
  status_progress: z.record(z.string().min(1), z.number().int().min(0).max(100)).default({}),
};

export const jiraSourceSchema = z.strictObject({
  jira: z.strictObject({
    /** `https://acme.atlassian.net` (Cloud, REST v3) or a Data Center base URL (REST v2). */
    site: z.url({ protocol: /^https?$/, error: 'expected the Jira site URL such as https://acme.atlassian.net' }),
    jql: z.string().trim().min(1),
    /** Cloud with an API token: the variable holding the account's email (basic auth). Absent: `token_env` is a bearer token (Data Center PAT, or OAuth 2.0 3LO access token). */
    email_env: envNameSchema.optional(),
    /** `cloud` (REST v3) or `datacenter` (REST v2). Default: cloud for *.atlassian.net, else datacenter. */
    deployment: z.enum(['cloud', 'datacenter']).optional(),
    /** A custom field holding the due date-time (e.g. `customfield_10042`); default: the `duedate` field. */
    due_field: z
      .string()
      .regex(/^[a-z_]+[0-9]*$/i)
      .optional(),
    /** The story-points field (e.g. `customfield_10016`); used when the issue has no original estimate. */
    points_field: z
      .string()
      .regex(/^[a-z_]+[0-9]*$/i)
      .optional(),
    ...common,
  }),
});

export const linearSourceSchema = z.strictObject({
  linear: z.strictObject({
    /** The team key (`ENG`). */
    team: z.string().trim().min(1),
    project: z.string().trim().min(1).optional(),
    label: z.string().trim().min(1).optional(),
    ...common,
  }),
});

export const githubSourceSchema = z.strictObject({
  github: z
    .strictObject({
      /** `owner/name`: issues of this repository (with `label` when given). */
      repo: z
        .string()
        .regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name such as acme/launch')
        .optional(),
      label: z.string().trim().min(1).optional(),
      /** `owner/number` of a Projects (v2) project: its issues. */
      project: z
        .string()
        .regex(/^[\w.-]+\/\d+$/, 'expected owner/number such as acme/5')
        .optional(),
      /** A GitHub App instead of a PAT: the variables holding its id and private key (PEM), and the installation. */
      app: z.strictObject({ app_id_env: envNameSchema, private_key_env: envNameSchema, installation_id: z.number().int().positive() }).optional(),
      ...common,
    })
    .refine((g) => (g.repo === undefined) !== (g.project === undefined), 'name either repo (with an optional label) or project, not both'),
});

/** One source of `tasks_from`. */
export const trackerSourceSchema = z.union([jiraSourceSchema, linearSourceSchema, githubSourceSchema], {
  error: 'expected one of jira: {…}, linear: {…} or github: {…}',
});
export type TrackerSourceConfig = z.infer<typeof trackerSourceSchema>;
export type JiraSourceConfig = z.infer<typeof jiraSourceSchema>['jira'];
export type LinearSourceConfig = z.infer<typeof linearSourceSchema>['linear'];
export type GithubSourceConfig = z.infer<typeof githubSourceSchema>['github'];

/** `tasks_from:` one source or a list of them. */
export const tasksFromSchema = z.array(trackerSourceSchema).min(1);
