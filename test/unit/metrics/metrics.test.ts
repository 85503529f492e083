import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/metrics.js';

describe('Metrics', () => {
  it('the Observer given to the use cases feeds prompts sent/answered and escalation lateness', async () => {
    const m = new Metrics();
    m.observer.promptSent('prompt');
    m.observer.promptSent('prompt');
    m.observer.promptSent('reminder');
    m.observer.promptAnswered(false);
    m.observer.promptAnswered(true);
    m.observer.escalationPinged('P1', 1_500);
    m.observer.escalationPinged('P1', -20); // clock skew between replicas never makes a negative lateness
    const text = (await m.exposition()).body;
    expect(text).toContain('preflight_standup_prompts_sent_total{kind="prompt"} 2');
    expect(text).toContain('preflight_standup_prompts_sent_total{kind="reminder"} 1');
    expect(text).toContain('preflight_standup_prompts_answered_total{timing="on_time"} 1');
    expect(text).toContain('preflight_standup_prompts_answered_total{timing="late"} 1');
    expect(text).toContain('preflight_escalation_lateness_seconds_count{severity="P1"} 2');
    expect(text).toContain('preflight_escalation_lateness_seconds_sum{severity="P1"} 1.5');
    expect(text).toContain('preflight_escalation_lateness_seconds_bucket{le="2",severity="P1"} 2');
    expect(text).toContain('preflight_escalation_lateness_seconds_bucket{le="1",severity="P1"} 1');
  });

  it('reads the gauges on each scrape; a source that fails is left out and reported, the scrape still answers', async () => {
    let blockers: Record<string, number> = { P1: 2, P3: 1 };
    let redisDown = false;
    const errors: string[] = [];
    const m = new Metrics(
      {
        openBlockersBySeverity: async () => blockers,
        queueDepths: async () => {
          if (redisDown) throw new Error('Connection is closed.');
          return { dm: { waiting: 4, delayed: 1 } };
        },
      },
      (what, err) => errors.push(`${what}: ${err.message}`),
    );
    let text = (await m.exposition()).body;
    expect(text).toContain('preflight_open_blockers{severity="P1"} 2');
    expect(text).toContain('preflight_open_blockers{severity="P3"} 1');
    expect(text).toContain('preflight_queue_jobs{queue="dm",state="waiting"} 4');
    blockers = { P3: 1 }; // the P1s were resolved: their series goes away rather than staying at 2
    redisDown = true;
    text = (await m.exposition()).body;
    expect(text).not.toContain('preflight_open_blockers{severity="P1"}');
    expect(text).toContain('preflight_open_blockers{severity="P3"} 1');
    expect(text).not.toContain('preflight_queue_jobs{');
    expect(errors).toEqual(['queue depths: Connection is closed.']);
  });

  it('ack latency, job duration and 429 pauses', async () => {
    const m = new Metrics();
    m.ackObserved('command', '/blocker', 0.012);
    m.jobFinished('dm', 'send-prompt', 'completed', 0.2);
    m.rateLimitPause('dm', 30);
    const text = (await m.exposition()).body;
    expect(text).toContain('preflight_slack_ack_duration_seconds_bucket{le="0.025",kind="command",name="/blocker"} 1');
    expect(text).toContain('preflight_slack_ack_duration_seconds_bucket{le="0.01",kind="command",name="/blocker"} 0');
    expect(text).toContain('preflight_job_duration_seconds_count{queue="dm",job="send-prompt",outcome="completed"} 1');
    expect(text).toContain('preflight_slack_rate_limit_pauses_total{queue="dm"} 1');
    expect(text).toContain('preflight_slack_rate_limit_pause_seconds_total{queue="dm"} 30');
  });

  it('shows the one plan version the replica runs, and counts failed reloads', async () => {
    const m = new Metrics();
    expect((await m.exposition()).body).toContain('preflight_config_reload_failures_total 0');
    m.configVersion('aaaaaaaaaaaa');
    m.configVersion('bbbbbbbbbbbb');
    m.configReloadFailed();
    const text = (await m.exposition()).body;
    expect(text).toContain('preflight_config_version_info{version="bbbbbbbbbbbb"} 1');
    expect(text).not.toContain('version="aaaaaaaaaaaa"');
    expect(text).toContain('preflight_config_reload_failures_total 1');
  });
});
