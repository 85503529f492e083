import type { WorkspaceConfig } from '../../src/config/workspace.js';

/** A person in the sandbox's workspace: a user id from preflight.yml with a sample name from their role. */
export interface Person {
  id: string;
  /** "Program manager", "Broker Integration lead", "Broker Integration dev 3", "Gate 1 sign-off"… */
  name: string;
  /** IANA zone the person sees times in (member override, else workstream, else program). */
  zone: string;
}

export interface Channel {
  id: string;
  /** Without `#`: "phase-11-go-live", "ws1-broker-integration", "ws1-blockers". */
  name: string;
}

export interface SandboxDirectory {
  programName: string;
  people: Person[];
  channels: Channel[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'channel';

/**
 * Names every user and channel id in a config after its role (the examples' ids are placeholders such as
 * `U1BRK001`), so the page can show "Broker Integration dev 1" instead of an id. A person keeps the first
 * role found, in this order: PM, execs, workstream leads, gate sign-off authorities, members, anyone else a
 * ladder notifies. Channels: the program channel, each workstream's report channel ("ws1-broker-integration", or
 * "team-omega" when the name holds the workstream id) and blockers channel ("ws1-blockers").
 * @param config a validated preflight.yml.
 */
export function directoryFor(config: WorkspaceConfig): SandboxDirectory {
  const people = new Map<string, Person>();
  const programZone = config.program.timezone;
  // "Team Omega - Infrastructure Validation" → "Team Omega": names stay short in the sidebar
  const short = (name: string) => name.split(/ [-–—:] /)[0]!.trim();
  const add = (id: string, name: string, zone = programZone) => {
    if (!people.has(id)) people.set(id, { id, name, zone });
  };
  add(config.program.pm, 'Program manager');
  config.program.execs.forEach((id, i) => add(id, config.program.execs.length === 1 ? 'Executive' : `Executive ${i + 1}`));
  for (const ws of Object.values(config.workstreams)) {
    ws.leads.forEach((id, i) => add(id, `${short(ws.name)} lead${ws.leads.length > 1 ? ` ${i + 1}` : ''}`, ws.timezone ?? programZone));
  }
  for (const g of config.gates) g.sign_off.forEach((id) => add(id, `${short(g.name)} sign-off`));
  for (const ws of Object.values(config.workstreams)) {
    let n = 0;
    for (const m of ws.members) {
      const id = typeof m === 'string' ? m : m.id;
      const zone = (typeof m === 'string' ? undefined : m.timezone) ?? ws.timezone ?? programZone;
      if (people.has(id)) {
        if (typeof m !== 'string' && m.timezone) people.get(id)!.zone = m.timezone;
        continue;
      }
      add(id, `${short(ws.name)} dev ${++n}`, zone);
    }
  }
  for (const levels of Object.values(config.escalation.ladders)) {
    for (const l of levels ?? []) for (const id of typeof l.notify === 'string' ? [l.notify] : l.notify) if (/^[UW]/.test(id)) add(id, `On-call ${id}`);
  }
  const channels = new Map<string, Channel>();
  const addChannel = (id: string, name: string) => {
    if (!channels.has(id)) channels.set(id, { id, name });
  };
  addChannel(config.program.channel, slug(config.program.name));
  for (const [wsId, ws] of Object.entries(config.workstreams)) {
    const name = slug(short(ws.name));
    addChannel(ws.channel, name.includes(wsId) ? name : `${wsId}-${name}`);
    if (ws.blockers_channel) addChannel(ws.blockers_channel, `${wsId}-blockers`);
  }
  return { programName: config.program.name, people: [...people.values()], channels: [...channels.values()] };
}
