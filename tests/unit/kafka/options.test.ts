import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load.js';
import { backoffMs, connectionOptions, describeConnection, KafkaOptionsError, SASL_PASSWORD_ENV } from '../../../src/config/kafka.js';

const kafkaConfig = (kafka: Record<string, unknown>) => loadConfig({ env: {}, overrides: { kafka: { brokers: ['b1:9092'], ...kafka } } }).kafka;

test('plain connection: brokers, client id, timeouts; no ssl, no sasl', () => {
  const options = connectionOptions(kafkaConfig({ clientId: 'sw' }), { env: {} });
  assert.deepEqual(options, { clientId: 'sw', brokers: ['b1:9092'], connectionTimeout: 3000, requestTimeout: 30_000 });
});

test('STORMWATCH_KAFKA_BROKERS splits on commas through the env override mechanism', () => {
  const config = loadConfig({ env: { STORMWATCH_KAFKA_BROKERS: 'a:1, b:2,c:3', STORMWATCH_KAFKA_CLOCK: 'records', STORMWATCH_KAFKA_PARTITIONS: '6' } });
  assert.deepEqual(config.kafka.brokers, ['a:1', 'b:2', 'c:3']);
  assert.equal(config.kafka.clock, 'records');
  assert.equal(config.kafka.partitions, 6);
});

test('TLS with CA, client certificate and key read from files; rejectUnauthorized passed through', () => {
  const files: Record<string, string> = { '/ca.pem': 'CA', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
  const options = connectionOptions(
    kafkaConfig({ tlsEnabled: true, tlsCaFile: '/ca.pem', tlsCertFile: '/cert.pem', tlsKeyFile: '/key.pem', tlsRejectUnauthorized: false }),
    { env: {}, readFile: (p) => files[p]! },
  );
  assert.deepEqual(options.ssl, { rejectUnauthorized: false, ca: ['CA'], cert: 'CERT', key: 'KEY' });
});

test('TLS problems are listed together: unreadable file, certificate without key', () => {
  assert.throws(
    () => connectionOptions(kafkaConfig({ tlsEnabled: true, tlsCaFile: '/missing.pem', tlsCertFile: '/cert.pem' }), {
      env: {},
      readFile: (p) => {
        if (p === '/missing.pem') throw new Error('ENOENT');
        return 'x';
      },
    }),
    (error: KafkaOptionsError) => error.problems.length === 2 && /tlsCaFile: cannot read/.test(error.problems[0]!) && /give both or neither/.test(error.problems[1]!),
  );
  assert.throws(() => connectionOptions(kafkaConfig({ tlsCaFile: '/ca.pem' }), { env: {}, readFile: () => 'x' }), /tlsEnabled is false/);
});

test('SASL: mechanism and user from the config, password only from the environment', () => {
  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
    const options = connectionOptions(kafkaConfig({ saslMechanism: mechanism, saslUsername: 'svc' }), { env: { [SASL_PASSWORD_ENV]: 's3cret' } });
    assert.deepEqual(options.sasl, { mechanism, username: 'svc', password: 's3cret' });
  }
  assert.throws(() => connectionOptions(kafkaConfig({ saslMechanism: 'plain', saslUsername: 'svc' }), { env: {} }), new RegExp(SASL_PASSWORD_ENV));
});

test('the config rejects a SASL mechanism without a user, and the password is not a config key', () => {
  assert.throws(() => loadConfig({ env: {}, overrides: { kafka: { saslMechanism: 'plain' } } }), /kafka.saslUsername: required/);
  assert.throws(() => loadConfig({ env: {}, overrides: { kafka: { saslPassword: 'x' } } }), /kafka/);
});

test('describeConnection never carries the password', () => {
  const config = kafkaConfig({ saslMechanism: 'scram-sha-512', saslUsername: 'svc' });
  const text = JSON.stringify(describeConnection(config));
  assert.match(text, /scram-sha-512 as svc/);
  assert.doesNotMatch(text, /s3cret/);
});

test('backoff doubles from the initial wait, is capped, and jitters by at most 20 %', () => {
  assert.equal(backoffMs(0, 500, 30_000, () => 0.5), 500);
  assert.equal(backoffMs(3, 500, 30_000, () => 0.5), 4000);
  assert.equal(backoffMs(20, 500, 30_000, () => 0.5), 30_000);
  assert.equal(backoffMs(20, 500, 30_000, () => 1), 30_000);
  assert.equal(backoffMs(1, 500, 30_000, () => 0), 800);
});
