/** The OpenAPI document: valid for a standard validator, complete for every route, good enough to generate a client. */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../api/app';
import { createPool } from '../../db/pool';
import { testConfig } from '../support/config';

describe('OpenAPI', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    const config = testConfig();
    const pool = createPool(config.databaseUrl, 2);
    app = await build({ config, pool });
    app.addHook('onClose', async () => pool.end());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app?.close());

  async function documentOverHttp(): Promise<Record<string, unknown>> {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('validates with swagger-parser', async () => {
    const doc = await documentOverHttp();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('describes every partner route with its request, every response code and examples', async () => {
    const doc = (await documentOverHttp()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>
      >;
    };
    const expected: [string, string, string[]][] = [
      ['/v1/orders', 'post', ['202', '400', '401', '409', '413', '415', '422', '429']],
      ['/v1/invoices', 'post', ['202', '400', '401', '409', '413', '415', '422', '429']],
      ['/v1/batches', 'post', ['202', '400', '401', '413', '415', '422', '429']],
      ['/v1/batches/{id}', 'get', ['200', '401', '404', '429']],
      ['/v1/submissions', 'get', ['200', '400', '401', '429']],
      ['/v1/submissions/{id}', 'get', ['200', '401', '404', '429']],
      ['/v1/submissions/{id}/cancel', 'post', ['202', '401', '404', '409', '429']],
    ];
    for (const [path, method, codes] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(codes));
    }
    expect(Object.keys(doc.paths['/v1/invoices']!.post!.requestBody!.content)).toEqual(
      expect.arrayContaining(['application/json', 'application/xml']),
    );
    expect(Object.keys(doc.paths['/v1/batches']!.post!.requestBody!.content)).toEqual(['application/x-ndjson']);
    expect(Object.keys((doc.paths['/v1/invoices']!.post!.responses['409'] as { content: object }).content)).toEqual([
      'application/problem+json',
    ]);
    for (const path of ['/v1/orders', '/v1/invoices', '/v1/batches']) {
      expect(JSON.stringify(doc.paths[path]!.post!.responses['202']), path).toContain('"location"');
    }
    const text = JSON.stringify(doc.paths['/v1/invoices']);
    expect(text).toContain('NW-2026-0417'); // the JSON example
    expect(text).toContain('cac:InvoiceLine'); // the UBL example
  });

  it('generates a typed client from /openapi.json', async () => {
    const ast = await openapiTS(new URL(`${base}/openapi.json`));
    const types = astToString(ast);
    expect(types).toContain('"/v1/invoices"');
    expect(types).toContain('"/v1/batches/{id}"');
    expect(types).toMatch(/invoiceNumber: string/);
  });

  it('serves Swagger UI at /docs without a key', async () => {
    const res = await fetch(`${base}/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/swagger/i);
  });
});
