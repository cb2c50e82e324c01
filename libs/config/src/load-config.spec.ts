import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseConfig, kafkaConfig } from './config-schemas.js';
import { ConfigurationError, loadConfig } from './load-config.js';

const schema = z.object({ ...databaseConfig.shape, ...kafkaConfig.shape });

describe('loadConfig', () => {
  it('applies defaults for the local platform', () => {
    const config = loadConfig(schema, {});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/traceport');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it('splits a broker list', () => {
    expect(loadConfig(schema, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('reports every invalid variable by name at once', () => {
    const attempt = () => loadConfig(schema, { DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost' });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigurationError).problems;
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(problems[1]).toMatch(/^KAFKA_BROKERS\.0: each broker is host:port/);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(schema, { DATABASE_URL: '' }).DATABASE_URL).toContain('127.0.0.1:5432');
  });
});
