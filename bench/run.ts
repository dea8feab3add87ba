/**
 * `npm run bench`: the service against the bare engine, in the same run on the same Temporal server, written to
 * bench/results/latest.json and latest.svg. Every service figure has its bare counterpart and a ratio:
 *   intake       POST /v1/orders vs client.workflow.start, same concurrency, no workers; and the floor of any HTTP
 *                front: bare starts behind a bare node:http server (bare/http-front.ts)
 *   end-to-end   orders POST to `completed` vs bare workflows of the order's shapes (today's and the old one)
 *   latency      one order at a time vs one bare workflow of the same shape at a time
 *   status       GET of a running run (query) vs a bare query of the same workflow; a closed run (PostgreSQL)
 *   volume       a burst of orders through separate API and worker processes; a billing run of many subscriptions
 * BENCH_SCALE shrinks every size (0.05 is a quick run); BENCH_VOLUME=0 skips the volume runs; BENCH_ROUNDS (3) sets
 * how many rounds of the intake and end-to-end comparisons run, service and bare back to back in each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPartner } from '../services/partners';
import { ONE_ACTIVITY_SHAPE, ORDER_SHAPE_V1, ORDER_SHAPE_CURRENT } from './bare/shapes';
import { barChart, type Bar } from './chart';
import { startBenchStack } from './harness';
import { n, terminateAll } from './sections/common';
import { bareIdleLatency, bareShape, bareStart, terminateBareStarts } from './sections/engine';
import { interleavedIntake } from './sections/intake';
import { endToEnd, idleLatency, postOrder, status } from './sections/service';
import { startRoles } from './processes';
import { billingVolume, orderBurst } from './sections/volume';

const ratio = (a: number, b: number): number => Number((a / Math.max(1e-9, b)).toFixed(2));

/** The round whose ratio is the median (the lower middle one of an even count). */
function medianRound<T extends { ratio: number }>(rounds: T[]): T {
  return [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)]!;
}
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const stack = await startBenchStack(process.env);
  try {
    const created = await createPartner(stack.pool, { name: 'Bench Partner' });
    const partner = { partnerId: created.partner.id, apiKey: created.apiKey };
    const intakeTotal = n(2000);
    const e2eTotal = n(300);
    const idleCount = n(20, 5);
    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? '3'));

    // The machine is shared: a neighbour's burst can halve one phase. Each comparison is therefore made in rounds,
    // service and bare engine back to back within a round, and the round with the median ratio is reported (every
    // round is kept in the JSON). Within an intake round the four sides run interleaved in blocks (see
    // sections/intake.ts): the dev server's cost per start drifts by up to twice within a minute.
    // One API process serves every round, as a long-running API would. Before the first round it, the bare HTTP front
    // and both bare clients serve an unmeasured warm-up of the same size, so the JIT has compiled every side's hot
    // path (in a fresh API process, compilation was 17% of its CPU over the first 3,000 requests after a 200-request
    // warm-up).
    const api = await startRoles(stack, ['api']);
    const bareFront = await startRoles(stack, ['bareFront']);
    // The API's client speaks over the native transport (adapters/temporal/lazy-native-connection.ts); the SDK's
    // default client uses its JavaScript gRPC client. Both baselines are reported.
    const intakeSides = {
      bare: bareStart(stack.env.client),
      bareNative: bareStart(stack.nativeClient),
      // The same starts behind the thinnest HTTP front: what the HTTP hop alone costs, whatever the front does.
      bareHttp: async () => void (await postOrder(bareFront.baseUrl, partner.apiKey)),
      service: async () => void (await postOrder(api.baseUrl, partner.apiKey)),
    };
    const intakeBlock = n(500);
    const cleanUpIntake = async (): Promise<void> => {
      await terminateBareStarts(stack.env.client);
      await terminateAll(stack.env.client, `PartnerId = '${partner.partnerId}'`);
    };
    const intakeRounds = [];
    log(`intake warm-up: x${n(1000)} bare starts over each client and POSTs, not measured`);
    await interleavedIntake(intakeSides, n(1000), 32, intakeBlock);
    await cleanUpIntake();
    for (let round = 1; round <= rounds; round++) {
      log(
        `intake round ${round}/${rounds}: bare starts (over each client and behind a bare HTTP front) and the service, ` +
          `x${intakeTotal} each, interleaved in blocks of ${intakeBlock}`,
      );
      const { bare, bareNative, bareHttp, service } = await interleavedIntake(
        intakeSides,
        intakeTotal,
        32,
        intakeBlock,
      );
      await cleanUpIntake();
      intakeRounds.push({ bare, bareNative, bareHttp, service, ratio: ratio(service.perSecond, bare.perSecond) });
      log(
        `intake round ${round}: ${service.perSecond} vs ${bare.perSecond}/s, ${ratio(service.perSecond, bare.perSecond)}x`,
      );
    }
    await api.stop();
    await bareFront.stop();
    const { bare, bareNative, bareHttp, service } = medianRound(intakeRounds);

    log('bare shapes');
    let stopBare: (() => Promise<void>) | undefined = await stack.startBareWorkers();
    const oneActivity = await bareShape(stack.env.client, 'one', ONE_ACTIVITY_SHAPE, e2eTotal, 16);
    const oldShape = await bareShape(stack.env.client, 'v1', ORDER_SHAPE_V1, e2eTotal, 16);
    const bareIdle = await bareIdleLatency(stack.env.client, ORDER_SHAPE_CURRENT, idleCount);
    const e2eRounds = [];
    for (let round = 1; round <= rounds; round++) {
      log(
        `end-to-end round ${round}/${rounds}: the bare workflow of the order's shape, then the service, x${e2eTotal} each`,
      );
      stopBare ??= await stack.startBareWorkers();
      const ownShape = await bareShape(stack.env.client, 'current', ORDER_SHAPE_CURRENT, e2eTotal, 16);
      await stopBare();
      stopBare = undefined;
      const e2e = await endToEnd(stack, partner.apiKey, e2eTotal, 16);
      e2eRounds.push({ ownShape, e2e, ratio: ratio(e2e.perSecond, ownShape.perSecond) });
      log(
        `end-to-end round ${round}: ${e2e.perSecond} vs ${ownShape.perSecond}/s, ${ratio(e2e.perSecond, ownShape.perSecond)}x`,
      );
    }
    const { ownShape, e2e } = medianRound(e2eRounds);

    const idle = await idleLatency(stack, partner.apiKey, idleCount);
    const closedId = (
      await stack.pool.query<{ id: string }>(`SELECT id FROM submissions WHERE status = 'completed' LIMIT 1`)
    ).rows[0]!.id;
    const statusResults = await status(stack, partner.apiKey, closedId, n(300));
    const memory = {
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    };

    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      temporal: process.env.BENCH_TEMPORAL === 'cluster' ? 'temporal server (postgresql)' : 'temporal cli dev server',
      // The stack runs PGlite when DATABASE_URL is unset (bench/harness.ts), PostgreSQL at that URL otherwise.
      database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
      scale: Number(process.env.BENCH_SCALE ?? '1'),
      intake: {
        ...service,
        bareStartsPerSecond: bare.perSecond,
        bareStartLatencyMs: bare.latencyMs,
        ratio: ratio(service.perSecond, bare.perSecond),
        bareCpuMsPerStart: bare.cpuMsPerRequest,
        bareNativeStartsPerSecond: bareNative.perSecond,
        bareNativeCpuMsPerStart: bareNative.cpuMsPerRequest,
        ratioVsNativeStarts: ratio(service.perSecond, bareNative.perSecond),
        // Bare starts behind a bare HTTP front (bare/http-front.ts): the ceiling of any service behind HTTP.
        bareHttpFrontPerSecond: bareHttp.perSecond,
        bareHttpFrontCpuMsPerRequest: bareHttp.cpuMsPerRequest,
        bareHttpFrontRatio: ratio(bareHttp.perSecond, bare.perSecond),
        ratioVsHttpFront: ratio(service.perSecond, bareHttp.perSecond),
        // The sides ran interleaved in blocks of this many requests, rotating which went first.
        blockSize: intakeBlock,
        // Every round, service and bare back to back; the figures above are the median round's.
        rounds: intakeRounds.map((r) => ({
          perSecond: r.service.perSecond,
          bareStartsPerSecond: r.bare.perSecond,
          bareNativeStartsPerSecond: r.bareNative.perSecond,
          ratio: r.ratio,
          ratioVsNativeStarts: ratio(r.service.perSecond, r.bareNative.perSecond),
          bareHttpFrontPerSecond: r.bareHttp.perSecond,
          bareHttpFrontRatio: ratio(r.bareHttp.perSecond, r.bare.perSecond),
          cpuMsPerRequest: r.service.cpuMsPerRequest,
          bareCpuMsPerStart: r.bare.cpuMsPerRequest,
        })),
      },
      endToEnd: {
        ...e2e,
        bareShapePerSecond: ownShape.perSecond,
        ratio: ratio(e2e.perSecond, ownShape.perSecond),
        oldShapeBarePerSecond: oldShape.perSecond,
        oldShapeRatio: ratio(e2e.perSecond, oldShape.perSecond),
        oneActivityBarePerSecond: oneActivity.perSecond,
        // Machine CPU (every process) per order against per bare workflow of the order's shape.
        bareShapeCpuMsPerWorkflow: ownShape.cpuMsPerWorkflow,
        cpuRatio: ratio(e2e.cpuMsPerOrder, ownShape.cpuMsPerWorkflow),
        rounds: e2eRounds.map((r) => ({
          perSecond: r.e2e.perSecond,
          bareShapePerSecond: r.ownShape.perSecond,
          ratio: r.ratio,
          cpuMsPerOrder: r.e2e.cpuMsPerOrder,
          bareShapeCpuMsPerWorkflow: r.ownShape.cpuMsPerWorkflow,
        })),
      },
      latency: {
        idleOrderMs: idle,
        bareShapeIdleMs: bareIdle,
        p50Ratio: ratio(idle.p50, bareIdle.p50),
        p95Ratio: ratio(idle.p95, bareIdle.p95),
      },
      status: statusResults,
      memory,
      volume: undefined as
        | { orders: Awaited<ReturnType<typeof orderBurst>>; billing?: Awaited<ReturnType<typeof billingVolume>> }
        | undefined,
    };
    const write = (): void => {
      const volume = results.volume;
      const dir = path.join(__dirname, 'results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
      const pair = (label: string, serviceValue: number, bareValue: number, unit: string): Bar[] => [
        { label: `${label}: service`, value: serviceValue, unit, series: 'service' },
        { label: `${label}: bare engine`, value: bareValue, unit, series: 'bare' },
      ];
      const bars: Bar[] = [
        ...pair('intake', results.intake.perSecond, bare.perSecond, 'starts/s'),
        { label: 'bare starts, native transport', value: bareNative.perSecond, unit: 'starts/s', series: 'bare' },
        { label: 'bare starts behind a bare HTTP front', value: bareHttp.perSecond, unit: 'starts/s', series: 'bare' },
        ...pair('orders completed', e2e.perSecond, ownShape.perSecond, 'orders/s'),
        ...pair('machine CPU per order', e2e.cpuMsPerOrder, ownShape.cpuMsPerWorkflow, 'ms'),
        ...pair('machine CPU per POST / start', results.intake.cpuMsPerRequest, bare.cpuMsPerRequest, 'ms'),
        { label: 'bare: old order shape', value: oldShape.perSecond, unit: 'orders/s', series: 'bare' },
        { label: 'bare: one activity', value: oneActivity.perSecond, unit: 'orders/s', series: 'bare' },
        ...pair('idle order p50', idle.p50, bareIdle.p50, 'ms'),
        ...pair(
          'status of a running run p99',
          statusResults.running.latencyMs.p99,
          statusResults.bareQuery.latencyMs.p99,
          'ms',
        ),
        ...(volume?.orders
          ? [
              {
                label: `${volume.orders.orders} orders: completed/s`,
                value: volume.orders.completedPerSecond,
                unit: 'orders/s',
              },
            ]
          : []),
        ...(volume?.billing
          ? [{ label: `billing run: charges/s`, value: volume.billing.chargesPerSecond, unit: 'charges/s' }]
          : []),
      ];
      fs.writeFileSync(
        path.join(dir, 'latest.svg'),
        barChart(
          `Service vs bare engine, ${results.machine.cpus} cores, ${results.temporal}, ${results.database}`,
          bars,
        ),
      );
    };
    write();

    // The volume runs take longest: the figures so far are on disk before they start, and after each one.
    if (process.env.BENCH_VOLUME !== '0') {
      const burst = await createPartner(stack.pool, { name: 'Bench Burst' });
      const burstPartner = { partnerId: burst.partner.id, apiKey: burst.apiKey };
      log(`volume: ${n(10_000)} orders`);
      const orders = await orderBurst(stack, burstPartner, n(10_000), 32);
      results.volume = { orders };
      write();
      log(`volume: billing run of ${n(10_000)} subscriptions`);
      const billing = await billingVolume(stack, burstPartner.partnerId, n(10_000));
      results.volume = { orders, billing };
      write();
    }
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
