import type { TSchema } from '@sinclair/typebox';
import { ClassificationEventSchema, SCHEMA_VERSION } from '../events/classification.js';
import { FeedbackSchema } from '../events/feedback.js';
import { MentionSchema } from '../events/mention.js';

/**
 * The topics' payloads as standalone JSON Schemas (draft 2020-12), generated from the TypeBox
 * schemas the service validates with: docs/schema/*.json, referenced by docs/asyncapi.yaml.
 * `scripts/write-event-schema.mjs` writes them; a unit test checks the committed files are current.
 */
function standalone(schema: TSchema, name: string, description: string): Record<string, unknown> {
  // JSON round trip: TypeBox's symbol-keyed metadata is dropped, plain JSON Schema remains.
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:stormwatch:schema:${name}:${SCHEMA_VERSION}`,
    title: `stormwatch ${name.replaceAll('-', ' ')}`,
    description,
    ...plain,
  };
}

/** File name (under docs/schema/) → exact text. */
export function schemaFiles(): Record<string, string> {
  const text = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  return {
    'classification-event.json': text(
      standalone(
        ClassificationEventSchema,
        'classification-event',
        `One state change of one key's episode (storm, drizzle, surge), schema version ${SCHEMA_VERSION}: the value of every record of the alert topic (docs/alert-topic.md).`,
      ),
    ),
    'feedback.json': text(
      standalone(FeedbackSchema, 'feedback', "A person's verdict on an episode: the value of every record of the feedback topic (keyed by episodeId) and every line of the embedded feedback file."),
    ),
    'mention.json': text(
      standalone(MentionSchema, 'mention', 'One social-media mention: the value of every record of the mentions topic. Unknown fields are allowed and ignored; ts is ISO 8601 or epoch milliseconds.'),
    ),
  };
}
