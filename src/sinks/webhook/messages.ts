import type { ClassificationEvent } from '../../events/classification.js';
import type { WebhookFormat } from '../../config/schema.js';

/** Slack's limits: section text 3000 characters, header text 150. */
const SECTION_CHARS = 3000;
const HEADER_CHARS = 150;

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** Slack mrkdwn treats these three as control characters; everything else is literal. */
const escapeMrkdwn = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** One line for notifications and clients without blocks, e.g. `storm.started acme-air (severity 82): …`. */
export function summaryLine(event: ClassificationEvent): string {
  return `${event.type} ${event.key} (severity ${event.severity}): ${what(event)}`;
}

/** The explanation, or for an acknowledged event who took it (the explanation is the episode's latest). */
function what(event: ClassificationEvent): string {
  const a = event.acknowledgement;
  if (a === undefined || !event.type.endsWith('.acknowledged')) return event.explanation;
  return `acknowledged by ${a.by}${a.note !== undefined ? `: ${a.note}` : ''}`;
}

/**
 * A Slack incoming-webhook message (also accepted by Mattermost and Rocket.Chat): `text` as the
 * notification and fallback, `blocks` for the card: what happened, the evidence, the first steps.
 */
export function slackMessage(event: ClassificationEvent): { text: string; blocks: unknown[] } {
  const e = event.evidence;
  const fields = [
    `*Level*\n${event.level}`,
    `*Severity*\n${event.severity}/100`,
    `*Mentions*\n${e.mentions} in ${Math.round(e.windowMs / 60_000)} min (usual ${e.usualMentions.toFixed(1)})`,
    `*Negative*\n${percent(e.negativeShare)} (usual ${percent(e.usualNegativeShare)})`,
  ];
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${event.type} · ${event.key}`, HEADER_CHARS) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(what(event)), SECTION_CHARS) }, fields: fields.map((text) => ({ type: 'mrkdwn', text: escapeMrkdwn(text) })) },
  ];
  if (event.playbook.length > 0) {
    const steps = event.playbook.slice(0, 3).map((step) => `• ${step}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(steps), SECTION_CHARS) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`episode ${event.episodeId} · event ${event.sequence} · ${event.at}`) }] });
  return { text: escapeMrkdwn(summaryLine(event)), blocks };
}

/** The request body for a target: Slack's message, or the event exactly as on the alert topic. */
export function webhookBody(format: WebhookFormat, event: ClassificationEvent): string {
  return JSON.stringify(format === 'slack' ? slackMessage(event) : event);
}
